import { Collection, Db } from 'mongodb';
import { decodeEvent, encodeEvent, EventTopic, PlatformEvent, Topic } from '@oversight/contracts';
import { insertNew } from '@oversight/persistence';
import { AttemptRecord } from './execution-plan';

export type ExecutionReportEvent = PlatformEvent<'ActionExecuted' | 'ActionFailed'>;
export type ReversalReportEvent = PlatformEvent<'ActionReversed' | 'ReversalFailed'>;
type ReportEvent = ExecutionReportEvent | ReversalReportEvent;

/** A try of the action (1, 2, …) or its reversal. */
export type TryKey = number | 'reversal';

const OUTCOME_OF: Record<ReportEvent['type'], OutcomeDoc['outcome']> = {
  ActionExecuted: 'executed',
  ActionFailed: 'failed',
  ActionReversed: 'reversed',
  ReversalFailed: 'reversal-failed',
};

/** A try began: written before `execute` is called. */
interface StartedDoc {
  _id: string;
  kind: 'started';
  executor: string;
  decisionId: string;
  attempt: TryKey;
  idempotencyKey: string;
  startedAt: Date;
}

/** A try ended: written after `execute` returned or threw, before its report is published. */
interface OutcomeDoc {
  _id: string;
  kind: 'outcome';
  executor: string;
  decisionId: string;
  attempt: TryKey;
  outcome: 'executed' | 'failed' | 'reversed' | 'reversal-failed';
  willRetry: boolean;
  /** The report exactly as published (JSON), so a republish after a crash carries the same eventId. */
  report: string;
  recordedAt: Date;
}

type ExecutionDoc = StartedDoc | OutcomeDoc;

export interface StoredAttempt extends AttemptRecord {
  report?: ExecutionReportEvent;
}

/** Tries looked up per query: most decisions need one or two. */
const LOOKUP_CHUNK = 8;

/**
 * The executor's durable memory of every try, one insert-only document per start and per end, keyed
 * `<executor>/<decisionId>#<attempt>` (the try's idempotency key). Only inserts and `_id` lookups: no
 * transaction, update or secondary index is needed, which FerretDB v1 does not make cheap.
 */
export class ExecutionRecords {
  private readonly collection: Collection<ExecutionDoc>;

  constructor(
    db: Db,
    private readonly executor: string,
    collectionName = 'execution_records',
  ) {
    this.collection = db.collection<ExecutionDoc>(collectionName);
  }

  idempotencyKey(decisionId: string, attempt: TryKey): string {
    return `${this.executor}/${decisionId}#${attempt}`;
  }

  /** Every recorded try of the decision, in attempt order (tries are numbered without gaps). */
  async attemptsOf(decisionId: string): Promise<StoredAttempt[]> {
    const found: StoredAttempt[] = [];
    for (let first = 1; ; first += LOOKUP_CHUNK) {
      const ids = Array.from({ length: LOOKUP_CHUNK }, (_, i) => this.idempotencyKey(decisionId, first + i));
      const docs = await this.collection.find({ _id: { $in: [...ids, ...ids.map(outcomeId)] } }).toArray();
      const byId = new Map(docs.map((doc) => [doc._id, doc]));
      for (const [i, id] of ids.entries()) {
        if (!byId.has(id)) return found;
        const outcome = byId.get(outcomeId(id)) as OutcomeDoc | undefined;
        found.push({
          attempt: first + i,
          ...(outcome ? (fromOutcome(outcome) as Omit<StoredAttempt, 'attempt'>) : {}),
        });
      }
    }
  }

  /** The reversal's records: whether it began, and its report once it ended. */
  async reversalOf(decisionId: string): Promise<{ started: boolean; report?: ReversalReportEvent }> {
    const id = this.idempotencyKey(decisionId, 'reversal');
    const docs = await this.collection.find({ _id: { $in: [id, outcomeId(id)] } }).toArray();
    const outcome = docs.find((doc) => doc._id === outcomeId(id)) as OutcomeDoc | undefined;
    return {
      started: docs.some((doc) => doc._id === id),
      ...(outcome ? { report: fromOutcome(outcome).report as ReversalReportEvent } : {}),
    };
  }

  /** Records that a try begins; false when it was recorded already (a try run again, or another instance). */
  async start(decisionId: string, attempt: TryKey): Promise<boolean> {
    const { inserted } = await insertNew(this.collection, [
      {
        _id: this.idempotencyKey(decisionId, attempt),
        kind: 'started',
        executor: this.executor,
        decisionId,
        attempt,
        idempotencyKey: this.idempotencyKey(decisionId, attempt),
        startedAt: new Date(),
      },
    ]);
    return inserted === 1;
  }

  /**
   * Records how a try ended. If another instance recorded it first, its report is the one that stands and is
   * returned, so every instance publishes the same event.
   */
  async finish<R extends ReportEvent>(report: R, attempt: TryKey): Promise<R> {
    const { willRetry } = { willRetry: false, ...report.payload } as { willRetry: boolean };
    const id = outcomeId(this.idempotencyKey(report.decisionId as string, attempt));
    const { duplicates } = await insertNew(this.collection, [
      {
        _id: id,
        kind: 'outcome',
        executor: this.executor,
        decisionId: report.decisionId as string,
        attempt,
        outcome: OUTCOME_OF[report.type],
        willRetry,
        report: encodeEvent(report).toString('utf8'),
        recordedAt: new Date(),
      },
    ]);
    if (!duplicates.length) return report;
    const stored = (await this.collection.findOne({ _id: id })) as OutcomeDoc | null;
    if (!stored) throw new Error(`execution record ${id} was reported as stored but cannot be read back`);
    return fromOutcome(stored).report as R;
  }
}

function outcomeId(startedId: string): string {
  return `${startedId}/outcome`;
}

const TOPIC_OF: Record<OutcomeDoc['outcome'], EventTopic> = {
  executed: Topic.ActionExecuted,
  failed: Topic.ActionFailed,
  reversed: Topic.ActionReversal,
  'reversal-failed': Topic.ActionReversal,
};

function fromOutcome(doc: OutcomeDoc): { outcome: StoredAttempt['outcome']; report: ReportEvent } {
  const decoded = decodeEvent(TOPIC_OF[doc.outcome], doc.report);
  if (!decoded.ok) {
    throw new Error(
      `execution record ${doc._id} holds a report that no longer decodes: ${decoded.errors.join('; ')}`,
    );
  }
  return {
    outcome: doc.outcome === 'executed' ? { kind: 'executed' } : { kind: 'failed', willRetry: doc.willRetry },
    report: decoded.value as ReportEvent,
  };
}
