/**
 * This run's numbers, and nothing else's: only keys the demo sent are counted, only dead letters written by the
 * demo's own consumer groups, and only a decision's first outcome (a redelivery, or another pipeline reading
 * the same topic, may publish one again).
 */
import { ReviewKind, Route, ROUTES, Tier, TIERS } from '@oversight/contracts';
import { DemoMessage, ExpectedFate, SCENARIOS } from './demo-stream';

export type OutcomeType = 'ActionApproved' | 'ReviewRequested' | 'DecisionBlocked';

/** The parts of a routing outcome the tally needs. */
export interface OutcomeSeen {
  type: OutcomeType;
  decisionId: string;
  tier: Tier;
  /** ReviewRequested only. */
  kind?: ReviewKind;
  /** ActionApproved only: `auto` when routing approved it, `human` once people did. */
  mode?: string;
}

/** An executor's report on one try of an approved action. */
export interface ExecutionSeen {
  eventId: string;
  decisionId: string;
  type: 'ActionExecuted' | 'ActionFailed';
  /** ActionFailed only: the executor will try again on its own. */
  willRetry?: boolean;
}

export interface DeadLetterSeen {
  key: string;
  reason: string;
  consumerGroup: string;
}

export interface ScenarioCounts {
  id: string;
  label: string;
  expect: ExpectedFate;
  sent: number;
  routes: Record<Route, number>;
  /** Malformed scenarios: messages dead-lettered by at least one of the demo's groups. */
  deadLettered: number;
  /** Decided otherwise than the scenario expects. */
  unexpected: number;
}

export interface TallySnapshot {
  /** Well-formed decisions published. */
  sent: number;
  malformed: number;
  /** Scored, with or without an outcome yet. */
  scored: number;
  decided: number;
  inFlight: number;
  routes: Record<Route, number>;
  tiers: Record<Tier, Record<Route, number>>;
  /** Auto-approved decisions also sent for an after-the-fact review. */
  postHocSamples: number;
  deadLetters: {
    total: number;
    /** Letters the demo's groups should write: one per malformed message per group reading the input topic. */
    expected: number;
    /** Malformed messages with at least one dead letter. */
    malformedCaught: number;
    byGroup: Record<string, number>;
    byReason: Record<string, number>;
    /** Dead letters for well-formed decisions (a handler gave up on them). */
    ofDecisions: number;
  };
  /** What the executors reported on the approved actions. */
  execution: {
    /** Reports, one per try (each is an audit record too). */
    reports: number;
    executed: number;
    /** Tries that failed and were tried again. */
    retried: number;
    /** Actions whose last try failed for good: a person resolves them. */
    handedToPeople: number;
  };
  byScenario: ScenarioCounts[];
  unexpectedRoutes: number;
  /** The first decision of each route, to look up. */
  examples: Partial<Record<Route, { decisionId: string; scenario: string }>>;
}

interface DecisionState {
  scenario: string;
  scored: boolean;
  route?: Route;
  sampled: boolean;
  execution?: 'executed' | 'failed';
}

const ROUTE_OF: Record<OutcomeType, Route> = {
  ActionApproved: 'auto',
  ReviewRequested: 'review',
  DecisionBlocked: 'block',
};

const zeroRoutes = (): Record<Route, number> => ({ auto: 0, review: 0, block: 0 });

export class RunTally {
  private readonly decisions = new Map<string, DecisionState>();
  private readonly malformed = new Map<string, { scenario: string; groups: Set<string> }>();
  private readonly letters: DeadLetterSeen[] = [];
  private readonly reports = new Set<string>();
  private retried = 0;
  private readonly examples: TallySnapshot['examples'] = {};
  /** When the last of the run's outcomes arrived (ms since the epoch), 0 before the first. */
  lastOutcomeAt = 0;
  private readonly tierCounts: Record<Tier, Record<Route, number>> = Object.fromEntries(
    TIERS.map((tier) => [tier, zeroRoutes()]),
  ) as Record<Tier, Record<Route, number>>;

  /**
   * @param deadLetterGroups the demo's groups that read the input topic, by group id → short name for display
   */
  constructor(private readonly deadLetterGroups: ReadonlyMap<string, string>) {}

  sent(message: DemoMessage): void {
    if (message.kind === 'decision') {
      this.decisions.set(message.decisionId, { scenario: message.scenario, scored: false, sampled: false });
    } else {
      this.malformed.set(message.key, { scenario: message.scenario, groups: new Set() });
    }
  }

  /** Forgets messages whose send failed. */
  unsent(message: DemoMessage): void {
    if (message.kind === 'decision') this.decisions.delete(message.decisionId);
    else this.malformed.delete(message.key);
  }

  /** Whether a Kafka key is one of this run's. */
  knows(key: string): boolean {
    return this.decisions.has(key) || this.malformed.has(key);
  }

  /** Scoring published its verdict on the decision. */
  scored(decisionId: string): void {
    const state = this.decisions.get(decisionId);
    if (state) state.scored = true;
  }

  /** Returns whether the outcome counted (this run's, first of its decision). */
  outcome(seen: OutcomeSeen): boolean {
    const state = this.decisions.get(seen.decisionId);
    if (!state || !Object.hasOwn(ROUTE_OF, seen.type) || !TIERS.includes(seen.tier)) return false;
    if (seen.type === 'ReviewRequested' && seen.kind === 'post-hoc-sample') {
      if (state.sampled) return false;
      state.sampled = true;
      return true;
    }
    // A later human approval of a reviewed decision is not how it was routed.
    if (seen.type === 'ActionApproved' && seen.mode !== undefined && seen.mode !== 'auto') return false;
    if (state.route) return false;
    state.scored = true;
    state.route = ROUTE_OF[seen.type];
    this.lastOutcomeAt = Date.now();
    this.tierCounts[seen.tier][state.route]++;
    if (!this.examples[state.route]) {
      this.examples[state.route] = { decisionId: seen.decisionId, scenario: state.scenario };
    }
    return true;
  }

  /** Returns whether the report counted (this run's decision, not seen before). */
  execution(seen: ExecutionSeen): boolean {
    const state = this.decisions.get(seen.decisionId);
    if (!state || this.reports.has(seen.eventId)) return false;
    this.reports.add(seen.eventId);
    if (seen.type === 'ActionExecuted') state.execution = 'executed';
    else if (seen.willRetry) this.retried++;
    else if (state.execution !== 'executed') state.execution = 'failed';
    return true;
  }

  /** Returns whether the dead letter counted (this run's key, written by one of the demo's groups). */
  deadLetter(seen: DeadLetterSeen): boolean {
    if (!this.deadLetterGroups.has(seen.consumerGroup) || !this.knows(seen.key)) return false;
    const malformed = this.malformed.get(seen.key);
    if (malformed) {
      if (malformed.groups.has(seen.consumerGroup)) return false;
      malformed.groups.add(seen.consumerGroup);
    }
    this.letters.push(seen);
    return true;
  }

  snapshot(): TallySnapshot {
    const routes = zeroRoutes();
    for (const tier of TIERS) for (const route of ROUTES) routes[route] += this.tierCounts[tier][route];
    const byId = new Map<string, ScenarioCounts>(
      SCENARIOS.map((s) => [
        s.id,
        {
          id: s.id,
          label: s.label,
          expect: s.expect,
          sent: 0,
          routes: zeroRoutes(),
          deadLettered: 0,
          unexpected: 0,
        },
      ]),
    );
    let scored = 0;
    let decided = 0;
    let postHocSamples = 0;
    let executed = 0;
    let handedToPeople = 0;
    for (const state of this.decisions.values()) {
      if (state.execution === 'executed') executed++;
      if (state.execution === 'failed') handedToPeople++;
      const counts = byId.get(state.scenario);
      if (counts) counts.sent++;
      if (state.scored) scored++;
      if (state.sampled) postHocSamples++;
      if (!state.route) continue;
      decided++;
      if (counts) {
        counts.routes[state.route]++;
        if (counts.expect !== state.route) counts.unexpected++;
      }
    }
    let malformedCaught = 0;
    for (const { scenario, groups } of this.malformed.values()) {
      const counts = byId.get(scenario);
      if (counts) counts.sent++;
      if (groups.size > 0) {
        malformedCaught++;
        if (counts) counts.deadLettered++;
      }
    }
    const byGroup: Record<string, number> = Object.fromEntries(
      [...this.deadLetterGroups.values()].map((name) => [name, 0]),
    );
    const byReason: Record<string, number> = {};
    let ofDecisions = 0;
    for (const letter of this.letters) {
      const name = this.deadLetterGroups.get(letter.consumerGroup) ?? letter.consumerGroup;
      byGroup[name] = (byGroup[name] ?? 0) + 1;
      byReason[letter.reason] = (byReason[letter.reason] ?? 0) + 1;
      if (this.decisions.has(letter.key)) ofDecisions++;
    }
    const byScenario = [...byId.values()].filter((counts) => counts.sent > 0);
    return {
      sent: this.decisions.size,
      malformed: this.malformed.size,
      scored,
      decided,
      inFlight: this.decisions.size - decided,
      routes,
      tiers: JSON.parse(JSON.stringify(this.tierCounts)),
      postHocSamples,
      deadLetters: {
        total: this.letters.length,
        expected: this.malformed.size * this.deadLetterGroups.size,
        malformedCaught,
        byGroup,
        byReason,
        ofDecisions,
      },
      execution: { reports: this.reports.size, executed, retried: this.retried, handedToPeople },
      byScenario,
      unexpectedRoutes: byScenario.reduce((sum, counts) => sum + counts.unexpected, 0),
      examples: { ...this.examples },
    };
  }
}
