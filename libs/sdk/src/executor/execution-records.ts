import { Collection, Db } from 'mongodb';
import { decodeEvent, encodeEvent, EventTopic, PlatformEvent, Topic } from '@oversight/contracts';
import { findByIds, insertNew } from '@oversight/persistence';
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

/** Where executors keep their tries unless told otherwise. */
export const EXECUTION_RECORDS = 'execution_records';

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
    collectionName = EXECUTION_RECORDS,
  ) {
    this.collection = db.collection<ExecutionDoc>(collectionName);
  }

  idempotencyKey(decisionId: string, attempt: TryKey): string {
    return `${this.executor}/${decisionId}#${attempt}`;
  }

  /**
   * Every recorded try of the decision, in attempt order (tries are numbered without gaps): each try's records
   * are looked up by exact _id, the next try only while the last one was found, so an action's first delivery
   * costs one lookup however many actions the collection holds.
   */
  async attemptsOf(decisionId: string): Promise<StoredAttempt[]> {
    const found: StoredAttempt[] = [];
    for (let attempt = 1; ; attempt += 1) {
      const id = this.idempotencyKey(decisionId, attempt);
      const [started, outcome] = await findByIds([id, outcomeId(id)], (key) =>
        this.collection.findOne({ _id: key }),
      );
      if (!started) return found;
      found.push({
        attempt,
        ...(outcome ? (fromOutcome(outcome as OutcomeDoc) as Omit<StoredAttempt, 'attempt'>) : {}),
      });
    }
  }

  /** The reversal's records: whether it began, and its report once it ended. */
  async reversalOf(decisionId: string): Promise<{ started: boolean; report?: ReversalReportEvent }> {
    const id = this.idempotencyKey(decisionId, 'reversal');
    const [started, outcome] = await findByIds([id, outcomeId(id)], (key) =>
      this.collection.findOne({ _id: key }),
    );
    return {
      started: started !== undefined,
      ...(outcome ? { report: fromOutcome(outcome as OutcomeDoc).report as ReversalReportEvent } : {}),
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
