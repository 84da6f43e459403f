/**
 * What a chaos scenario lost or did twice, from what was sent, what went over the topics, what the demo
 * ledger booked and what the audit trail holds. Pure, so each rule reads in one place.
 */

/** One event of the run as read from its topic (eventId distinct; a redelivered message repeats one). */
export interface SeenEvent {
  eventId: string;
  type: string;
  decisionId: string;
  /** ActionFailed only: whether the executor tries again on its own. */
  willRetry?: boolean;
  /** ActionApproved only: what the action is, which says whether the run has an executor for it. */
  actionType?: string;
}

export interface ChaosEvidence {
  /** Well-formed decisions the broker acknowledged. */
  sent: readonly string[];
  /** Every event of the run's decisions seen on the topics, in the order read. */
  events: readonly SeenEvent[];
  /** Dead letters of the run's well-formed decisions' events (valid events that were given up on). */
  validDeadLetters: number;
  /** The demo ledger's bookings of the run: decisionId per booking (reversals excluded). */
  bookings: readonly string[];
  /** eventId of every record of the run's decisions in the audit trail. */
  auditRecords: readonly string[];
  /** Chains `audit verify` found broken. */
  chainsBroken: number;
  /** The action types the run's executor carries out; an approval of another type has no executor here. */
  executable: ReadonlySet<string>;
}

export interface ChaosFigures {
  decisions: number;
  /** Sent decisions with no final outcome (approved, blocked or rejected), or approved and never carried out. */
  lost: number;
  /** Decisions with more than one final outcome, or more than one distinct ActionApproved. */
  duplicatedApprovals: number;
  /** Approved actions booked more than once in the ledger, or reported executed more than once. */
  duplicatedExecutions: number;
  /** Events of the run seen on the topics but not in the audit trail. */
  auditMissing: number;
  /** Events stored more than once in the audit trail. */
  auditDuplicates: number;
  chainsBroken: number;
  validDeadLetters: number;
}

/** The outcomes that end a decision's routing or review: exactly one each. */
const FINAL_OUTCOMES = new Set(['ActionApproved', 'DecisionBlocked', 'DecisionRejected']);

const tally = (values: Iterable<string>) => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

export function chaosFigures(evidence: ChaosEvidence): ChaosFigures & { examples: string[] } {
  const examples: string[] = [];
  const note = (line: string) => {
    if (examples.length < 20) examples.push(line);
  };
  const distinct = new Map<string, SeenEvent>();
  for (const event of evidence.events) distinct.set(event.eventId, event);
  const byDecision = new Map<string, SeenEvent[]>();
  for (const event of distinct.values()) {
    const list = byDecision.get(event.decisionId) ?? [];
    list.push(event);
    byDecision.set(event.decisionId, list);
  }
  const bookings = tally(evidence.bookings);

  let lost = 0;
  let duplicatedApprovals = 0;
  let duplicatedExecutions = 0;
  for (const decisionId of evidence.sent) {
    const events = byDecision.get(decisionId) ?? [];
    const finals = events.filter((e) => FINAL_OUTCOMES.has(e.type));
    const approvals = finals.filter((e) => e.type === 'ActionApproved');
    if (finals.length === 0) {
      lost++;
      note(`${decisionId}: no final outcome (seen: ${events.map((e) => e.type).join(', ') || 'nothing'})`);
      continue;
    }
    if (finals.length > 1 || approvals.length > 1) {
      duplicatedApprovals++;
      note(`${decisionId}: ${finals.map((e) => e.type).join(' + ')}`);
    }
    if (approvals.length === 0 || !evidence.executable.has(approvals[0].actionType ?? '')) continue;
    const executed = events.filter((e) => e.type === 'ActionExecuted').length;
    const failedForGood = events.some((e) => e.type === 'ActionFailed' && e.willRetry === false);
    const booked = bookings.get(decisionId) ?? 0;
    if (executed > 1 || booked > 1) {
      duplicatedExecutions++;
      note(`${decisionId}: reported executed ${executed} times, booked ${booked} times`);
    } else if (executed === 0 && !failedForGood) {
      lost++;
      note(`${decisionId}: approved, never carried out or failed for good (booked ${booked} times)`);
    } else if (executed !== booked && !failedForGood) {
      duplicatedExecutions++;
      note(`${decisionId}: reported executed ${executed} times, booked ${booked} times`);
    }
  }

  const stored = tally(evidence.auditRecords);
  let auditMissing = 0;
  for (const event of distinct.values()) {
    if (!stored.has(event.eventId)) {
      auditMissing++;
      note(`${event.decisionId}: ${event.type} ${event.eventId} is not in the audit trail`);
    }
  }
  let auditDuplicates = 0;
  for (const [eventId, times] of stored) {
    if (times > 1) {
      auditDuplicates += times - 1;
      note(`audit trail: event ${eventId} stored ${times} times`);
    }
  }
  return {
    decisions: evidence.sent.length,
    lost,
    duplicatedApprovals,
    duplicatedExecutions,
    auditMissing,
    auditDuplicates,
    chainsBroken: evidence.chainsBroken,
    validDeadLetters: evidence.validDeadLetters,
    examples,
  };
}

/** Whether a scenario kept every promise. */
export function chaosClean(figures: ChaosFigures): boolean {
  return (
    figures.lost === 0 &&
    figures.duplicatedApprovals === 0 &&
    figures.duplicatedExecutions === 0 &&
    figures.auditMissing === 0 &&
    figures.auditDuplicates === 0 &&
    figures.chainsBroken === 0 &&
    figures.validDeadLetters === 0
  );
}
