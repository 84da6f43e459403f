import { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { PlatformEvent, Topic } from '@oversight/contracts';
import { readDeadLetter } from '@oversight/messaging';
import { partitionKey, positionGroupAtEnd, topicEnds } from './kafka-positions';
import { BenchFailure, RunGuard } from './run-guard';
import { monoNow, sleep } from './stats';

export type Outcome = 'approved' | 'review' | 'blocked';

/** Everything the bench learns about one decision it proposed. */
export interface DecisionTrace {
  decisionId: string;
  phase: string;
  proposedEventId: string;
  /** When the publish call for it began, on the bench's monotonic clock and on the wall clock. */
  sentMono: number;
  sentWall: number;
  /** When a paced producer meant to send it; the same as sentMono when pushing as fast as possible. */
  intendedMono: number;
  partition?: number;
  /** When the bench itself read the proposal back from its topic: the broker hop alone. */
  proposedSeenMono?: number;
  /** occurredAt of the DecisionScored and ActionApproved events: when scoring and routing made them. */
  scoredAtWall?: number;
  approvedAtWall?: number;
  outcome?: Outcome;
  /** When the bench read the outcome. */
  outMono?: number;
  outWall?: number;
  routingReasons?: string[];
  postHocSampled: boolean;
  /** Distinct platform events of the decision seen on the topics (eventId → type): what audit must hold. */
  events: Map<string, string>;
  deadLetters: string[];
}

/** The topics a run's decisions can appear on. */
const OBSERVED_TOPICS = [
  Topic.DecisionProposed,
  Topic.DecisionScored,
  Topic.ActionApproved,
  Topic.ReviewRequested,
  Topic.DecisionBlocked,
  Topic.DeadLetter,
] as const;

/** Topics whose events the audit trail stores (dead letters are not events). */
const AUDITED_TOPICS = new Set<string>(OBSERVED_TOPICS.filter((topic) => topic !== Topic.DeadLetter));

interface PhaseProgress {
  total: number;
  settled: number;
  lastOutMono: number;
  lastOutWall: number;
  lastProgressMono: number;
}

/**
 * Reads every topic a decision passes through, with its own consumer group, and keeps the run's decisions'
 * timestamps. Only messages keyed with the run's prefix are looked at: other runs and tests share the topics.
 */
export class DecisionObserver {
  private readonly traces = new Map<string, DecisionTrace>();
  private readonly phases = new Map<string, PhaseProgress>();
  private readonly consumer: Consumer;
  /** Next offset to read per partition, to tell when the bench has read everything published so far. */
  private readonly consumedUpTo = new Map<string, bigint>();
  /** The decision of the run's last audited event per partition: the audit trail stores each partition in order. */
  private readonly lastDecisions = new Map<string, DecisionTrace>();

  constructor(
    kafka: Kafka,
    private readonly groupId: string,
    private readonly keyPrefix: string,
  ) {
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  }

  async start(admin: Admin): Promise<void> {
    for (const [key, offset] of await positionGroupAtEnd(admin, this.groupId, OBSERVED_TOPICS)) {
      this.consumedUpTo.set(key, offset);
    }
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...OBSERVED_TOPICS], fromBeginning: true });
    // A transaction's commit marker is a record no handler sees; kafkajs reports reading it in this event
    // (alone in a fetch it never reaches eachBatch), and without it a topic's end would never be reached.
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const where = partitionKey(payload.topic, payload.partition);
      const read = BigInt(payload.lastOffset) + 1n;
      if (read > (this.consumedUpTo.get(where) ?? 0n)) this.consumedUpTo.set(where, read);
    });
    await this.consumer.run({ eachBatch: async (payload) => this.handleBatch(payload) });
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }

  /** Registers decisions before they are published, so no outcome can arrive for an unknown decision. */
  track(traces: DecisionTrace[]): void {
    for (const trace of traces) {
      this.traces.set(trace.decisionId, trace);
      const phase = this.phases.get(trace.phase) ?? {
        total: 0,
        settled: 0,
        lastOutMono: 0,
        lastOutWall: 0,
        lastProgressMono: monoNow(),
      };
      phase.total += 1;
      this.phases.set(trace.phase, phase);
    }
  }

  tracesOf(phase: string): DecisionTrace[] {
    return [...this.traces.values()].filter((trace) => trace.phase === phase);
  }

  allTraces(): DecisionTrace[] {
    return [...this.traces.values()];
  }

  /** Last-out of a phase: when the bench read its last outcome. */
  lastOut(phase: string): { mono: number; wall: number } {
    const progress = this.requirePhase(phase);
    return { mono: progress.lastOutMono, wall: progress.lastOutWall };
  }

  /**
   * The audit record that completes the chain of the last decision read on each partition: once it is stored,
   * so is everything before it. The audit trail keys a record by its chain and place, `<decisionId>#<seq>`
   * (auditRecordId in apps/audit), and a decision's chain holds one record per event the bench saw of it.
   */
  lastAuditRecordIds(): string[] {
    return [...new Set(this.lastDecisions.values())].map(
      (trace) => `${trace.decisionId}#${trace.events.size}`,
    );
  }

  /**
   * Waits until every decision of the phase has an outcome, failing with the stuck decisions listed when
   * none arrives for `stallTimeoutMs`: a decision that never comes out is lost, and says where it stopped.
   */
  async waitForPhase(phase: string, stallTimeoutMs: number, guard: RunGuard): Promise<void> {
    const progress = this.requirePhase(phase);
    progress.lastProgressMono = Math.max(progress.lastProgressMono, monoNow());
    while (progress.settled < progress.total) {
      guard.check();
      if (monoNow() - progress.lastProgressMono > stallTimeoutMs) {
        const stuck = this.tracesOf(phase).filter((trace) => !trace.outcome);
        throw new BenchFailure(
          `${stuck.length} of ${progress.total} decisions of phase ${phase} were lost: no outcome within ` +
            `${stallTimeoutMs / 1000} s of the last one`,
          stuck.slice(0, 20).map(describeStuck),
        );
      }
      await sleep(50);
    }
  }

  /**
   * Waits until the bench has read everything on its topics up to now. An outcome is published with (or after)
   * the events before it, but another topic's fetch may arrive later; the count of events the audit trail must
   * hold is only complete once every topic has been read this far.
   */
  async waitUntilCaughtUp(admin: Admin, stallTimeoutMs: number, guard: RunGuard): Promise<void> {
    const ends = await topicEnds(admin, OBSERVED_TOPICS);
    const started = monoNow();
    for (;;) {
      guard.check();
      const behind = [...ends].filter(([key, end]) => (this.consumedUpTo.get(key) ?? 0n) < end);
      if (behind.length === 0) return;
      if (monoNow() - started > stallTimeoutMs) {
        throw new BenchFailure(
          `the bench's own consumer fell behind on ${behind.map(([key]) => key).join(', ')}`,
        );
      }
      await sleep(50);
    }
  }

  private requirePhase(phase: string): PhaseProgress {
    const progress = this.phases.get(phase);
    if (!progress) throw new Error(`no decisions tracked for phase ${phase}`);
    return progress;
  }

  private async handleBatch({ batch }: EachBatchPayload): Promise<void> {
    // One reading per fetched batch: every message in it became visible to the bench at this moment.
    const mono = monoNow();
    const wall = Date.now();
    const { topic, partition } = batch;
    for (const message of batch.messages) {
      const key = message.key?.toString();
      if (!key?.startsWith(this.keyPrefix)) continue;
      const trace = this.traces.get(key);
      if (trace) this.record(topic, partition, message, trace, mono, wall);
    }
  }

  private record(
    topic: string,
    partition: number,
    message: KafkaMessage,
    trace: DecisionTrace,
    mono: number,
    wall: number,
  ): void {
    if (topic === Topic.DeadLetter) {
      const letter = readDeadLetter(message);
      trace.deadLetters.push(
        `${letter.consumerGroup} dead-lettered it from ${letter.source.topic}: ${letter.reason} ${letter.errors[0] ?? ''}`.trim(),
      );
      return;
    }
    let eventId: string;
    if (topic === Topic.DecisionProposed) {
      // The bench wrote this one and knows its id: no need to parse it back.
      eventId = trace.proposedEventId;
      trace.events.set(eventId, 'DecisionProposed');
      trace.partition = partition;
      trace.proposedSeenMono ??= mono;
    } else {
      const event = JSON.parse(message.value?.toString() ?? 'null') as PlatformEvent;
      eventId = event.eventId;
      trace.events.set(eventId, event.type);
      if (event.type === 'DecisionScored') {
        trace.scoredAtWall ??= Date.parse(event.occurredAt);
      } else if (event.type === 'ActionApproved') {
        trace.approvedAtWall ??= Date.parse(event.occurredAt);
        this.settle(trace, 'approved', event.payload.routingReasons, mono, wall);
      } else if (event.type === 'ReviewRequested') {
        // A post-hoc sample accompanies an approval; only a blocking review is an outcome of its own.
        if (event.payload.kind === 'post-hoc-sample') trace.postHocSampled = true;
        else this.settle(trace, 'review', event.payload.routingReasons, mono, wall);
      } else if (event.type === 'DecisionBlocked') {
        this.settle(trace, 'blocked', event.payload.routingReasons, mono, wall);
      }
    }
    if (AUDITED_TOPICS.has(topic)) this.lastDecisions.set(partitionKey(topic, partition), trace);
  }

  private settle(trace: DecisionTrace, outcome: Outcome, reasons: string[], mono: number, wall: number) {
    if (trace.outcome) return;
    trace.outcome = outcome;
    trace.outMono = mono;
    trace.outWall = wall;
    trace.routingReasons = reasons;
    const progress = this.requirePhase(trace.phase);
    progress.settled += 1;
    progress.lastOutMono = Math.max(progress.lastOutMono, mono);
    progress.lastOutWall = Math.max(progress.lastOutWall, wall);
    progress.lastProgressMono = mono;
  }
}

/** Where a lost decision stopped, from the furthest stage the bench saw it reach. */
function describeStuck(trace: DecisionTrace): string {
  const stage =
    trace.scoredAtWall !== undefined
      ? 'scored, but routing published no outcome'
      : trace.proposedSeenMono !== undefined
        ? 'on the proposal topic, but never scored'
        : 'published, but never read back from the proposal topic';
  const letters = trace.deadLetters.length ? `; ${trace.deadLetters.join('; ')}` : '';
  return `${trace.decisionId} (partition ${trace.partition ?? '?'}): ${stage}${letters}`;
}
