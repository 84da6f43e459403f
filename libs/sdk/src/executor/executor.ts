import { backOff } from 'exponential-backoff';
import { Kafka, Producer } from 'kafkajs';
import type { MongoClient } from 'mongodb';
import {
  ActionApproved,
  DecisionProposed,
  ExecutionRetryRequested,
  ReversalRequested,
  EventPayloads,
  newEvent,
  PlatformEvent,
  SLUG_PATTERN,
  SLUG_RULE,
  Topic,
} from '@oversight/contracts';
import {
  consoleLogger,
  createKafka,
  createProducer,
  DeadLetterPublisher,
  EventConsumer,
  EventPublisher,
  MessagingLogger,
} from '@oversight/messaging';
import { platformMetrics, safely } from '@oversight/observability';
import { createStoreClient } from '@oversight/persistence';
import { ExecutionFailure } from './execution-failure';
import { nextStep } from './execution-plan';
import {
  EXECUTION_RECORDS,
  ExecutionRecords,
  ExecutionReportEvent,
  ReversalReportEvent,
} from './execution-records';
import { TRY_RESULTS, tryResultOf } from './try-result';

/** The action itself, as `execute` and `compensate` receive it. */
export interface ActionFields {
  actionType: string;
  businessFunction: string;
  /** As approved: after an edit-then-approve or a person's correction, the corrected parameters. */
  parameters: Record<string, unknown>;
  amount?: DecisionProposed['amount'];
  subject?: DecisionProposed['subject'];
}

function actionFieldsOf(proposal: DecisionProposed): ActionFields {
  return {
    actionType: proposal.actionType,
    businessFunction: proposal.businessFunction,
    parameters: proposal.parameters,
    ...(proposal.amount ? { amount: proposal.amount } : {}),
    ...(proposal.subject ? { subject: proposal.subject } : {}),
  };
}

/** An approved action as `execute` receives it. */
export interface ApprovedAction extends ActionFields {
  decisionId: string;
  /** 1 on the first try. */
  attempt: number;
  /**
   * `<executor>/<decisionId>#<attempt>`: pass it to the target system so it can refuse a repeat of this try
   * (the same key after a crash means the same try).
   */
  idempotencyKey: string;
  /** The approval the action runs on (score, policy, who approved it and how); absent on a person's retry. */
  approval?: ActionApproved;
  /** Set when a person corrected the action after a failure and asked for this try. */
  retry?: ExecutionRetryRequested;
}

type ExecutorTopic =
  | typeof Topic.ActionApproved
  | typeof Topic.ActionResolution
  | typeof Topic.ActionReversal;

/** An action this executor carried out, as `compensate` receives it to undo it. */
export interface ExecutedAction extends ActionFields {
  decisionId: string;
  /** `<executor>/<decisionId>#reversal`: the same on a repeat, so the target can refuse a second undo. */
  idempotencyKey: string;
  /** The try that carried it out, and what the executor reported then. */
  executed: { attempt: number; result?: Record<string, unknown> };
  /** Who asked to undo it, and why. */
  reversal: ReversalRequested;
}

/** What makes an executor try: an approval, or a person's retry after a failure for good. */
interface Trigger {
  event: PlatformEvent<'ActionApproved' | 'ExecutionRetryRequested'>;
  proposal: DecisionProposed;
  requestedAttempt?: number;
}

export interface ExecutorRetry {
  /** Tries in all, the first included, before a retryable failure goes to people. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface ExecutorOptions {
  /** Names the executor in its reports and its consumer group (`executor-<name>`): lower-case kebab-case. */
  name: string;
  /** The action types this executor carries out; approvals of other types are left to other executors. */
  actionTypes: readonly string[];
  /** Carries out one try. Return what the target answered (a ledger entry id, a ticket); throw ExecutionFailure to say how it failed. */
  execute: (action: ApprovedAction) => Promise<Record<string, unknown> | void>;
  /**
   * Undoes an action this executor carried out, when a supervisor reverses it within the policy's window. Without
   * it, a reversal request is answered ReversalFailed `not-supported`.
   */
  compensate?: (action: ExecutedAction) => Promise<Record<string, unknown> | void>;
  /**
   * The target honours the idempotency key: a try that died inside `execute` is run again with the same key.
   * Without it such a try is reported as `in-doubt` for a person to check, never run twice.
   */
  idempotent?: boolean;
  kafka: { brokers: string[]; clientId?: string };
  /**
   * Where the executor keeps its record of tries: a MongoDB URI (FerretDB works). `commandLog`, a directory,
   * records every query the executor sends there (the platform's STORE_COMMAND_LOG, for its store access check).
   */
  store: { uri: string; collection?: string; commandLog?: string };
  /** Retryable failures: bounded tries with exponential backoff. Keep the total well under Kafka's 30 s session. */
  retry?: Partial<ExecutorRetry>;
  /**
   * Where a brand-new executor starts: false (the default) acts only on approvals made after its first start, so
   * deploying a new executor never carries out a backlog of old approvals; an existing one always resumes where
   * it left off.
   */
  fromBeginning?: boolean;
  /** Partitions worked in parallel by one instance; order is kept within each. */
  concurrency?: number;
  logger?: MessagingLogger;
}

export interface Executor {
  /** Resolves once the executor has joined its consumer group and holds partitions. */
  start(): Promise<void>;
  /** Finishes the try in hand, commits, and disconnects. */
  stop(): Promise<void>;
}

const DEFAULT_RETRY: ExecutorRetry = { attempts: 3, initialDelayMs: 500, maxDelayMs: 5_000 };

/** Thrown inside the backoff loop to ask for another try; never leaves it. */
class RetryScheduled extends Error {}

/**
 * Creates an executor: it consumes ActionApproved in its own consumer group, runs `execute` at most once per try
 * of each decision of its action types (a durable record of every try, keyed by decisionId and attempt, makes
 * redeliveries, restarts and rebalances safe), retries retryable failures with backoff, and publishes
 * ActionExecuted or ActionFailed for each try.
 */
export function createExecutor(options: ExecutorOptions): Executor {
  if (!SLUG_PATTERN.test(options.name)) throw new Error(`executor name "${options.name}" ${SLUG_RULE}`);
  if (options.actionTypes.length === 0)
    throw new Error(`executor ${options.name}: name at least one action type`);
  return new ApprovedActionExecutor(options);
}

class ApprovedActionExecutor implements Executor {
  private readonly logger: MessagingLogger;
  private readonly retry: ExecutorRetry;
  private readonly actionTypes: Set<string>;
  private readonly kafka: Kafka;
  private readonly mongo: MongoClient;
  private readonly records: ExecutionRecords;
  private producer?: Producer;
  private publisher?: EventPublisher;
  private consumer?: EventConsumer<ExecutorTopic>;

  constructor(private readonly options: ExecutorOptions) {
    this.logger = options.logger ?? consoleLogger;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.actionTypes = new Set(options.actionTypes);
    this.kafka = createKafka({
      brokers: options.kafka.brokers,
      clientId: options.kafka.clientId ?? `executor-${options.name}`,
      logger: this.logger,
    });
    this.mongo = createStoreClient(options.store.uri, 'sdk-executor', options.store.commandLog, {}, [
      options.store.collection ?? EXECUTION_RECORDS,
    ]);
    this.records = new ExecutionRecords(this.mongo.db(), options.name, options.store.collection);
  }

  async start(): Promise<void> {
    // Every result at zero from the start, so a failure ratio reads 0 rather than no data until a first failure.
    safely(() => TRY_RESULTS.forEach((result) => platformMetrics.executorTries().inc({ result }, 0)));
    await this.mongo.connect();
    const producer = createProducer(this.kafka);
    await producer.connect();
    this.producer = producer;
    this.publisher = new EventPublisher(producer);
    this.consumer = new EventConsumer(this.kafka, new DeadLetterPublisher(producer), {
      groupId: `executor-${this.options.name}`,
      topics: [Topic.ActionApproved, Topic.ActionResolution, Topic.ActionReversal],
      handler: async (event) => {
        if (event.type === 'ReversalRequested') {
          if (event.payload.executor === this.options.name) await this.reverse(event);
          return;
        }
        if (event.type === 'ActionReversed' || event.type === 'ReversalFailed') return;
        const trigger = this.triggerOf(event);
        if (trigger) await this.handle(trigger);
      },
      partitionsConsumedConcurrently: this.options.concurrency ?? 3,
      fromBeginning: this.options.fromBeginning ?? false,
      logger: this.logger,
    });
    await this.consumer.start();
    // Started means ready: a new executor reading from the latest offsets must hold its partitions before an
    // approval it should carry out is published.
    await this.consumer.joined();
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.producer?.disconnect();
    await this.mongo.close();
  }

  private triggerOf(event: PlatformEvent<'ActionApproved' | 'ExecutionRetryRequested' | 'ActionAbandoned'>) {
    if (event.type === 'ActionApproved' && this.actionTypes.has(event.payload.proposal.actionType)) {
      return { event, proposal: event.payload.proposal } satisfies Trigger;
    }
    if (event.type === 'ExecutionRetryRequested' && event.payload.executor === this.options.name) {
      return {
        event,
        proposal: event.payload.proposal,
        requestedAttempt: event.payload.attempt,
      } satisfies Trigger;
    }
    return undefined;
  }

  private async handle(trigger: Trigger): Promise<void> {
    const decisionId = trigger.event.decisionId;
    const earlier = await this.records.attemptsOf(decisionId);
    // A report stored but maybe never sent (a crash between the two) goes out again, with its own eventId.
    const stored = earlier.flatMap((attempt) => (attempt.report ? [attempt.report] : []));
    if (stored.length) await this.publish(stored);

    const step = nextStep(earlier, {
      idempotent: this.options.idempotent ?? false,
      requestedAttempt: trigger.requestedAttempt,
    });
    if (step.kind === 'done') return;
    if (step.kind === 'in-doubt') {
      await this.report(this.inDoubt(trigger, step.attempt));
      return;
    }
    // A person's retry gets the executor's own retries too, counted from its first try.
    const lastTry = step.attempt - 1 + this.retry.attempts;
    let attempt = step.attempt;
    await backOff(
      async () => {
        const report = await this.tryOnce(trigger, attempt, lastTry);
        if (report.type === 'ActionFailed' && report.payload.willRetry) {
          attempt += 1;
          throw new RetryScheduled();
        }
      },
      {
        numOfAttempts: Math.max(1, lastTry - attempt + 1),
        startingDelay: this.retry.initialDelayMs,
        maxDelay: this.retry.maxDelayMs,
        jitter: 'full',
        retry: (error) => error instanceof RetryScheduled,
      },
    ).catch((error: unknown) => {
      // The last try said it would be retried only if tries were left; none were.
      if (!(error instanceof RetryScheduled)) throw error;
    });
  }

  /** One try: recorded before it runs and after it ends, then reported. */
  private async tryOnce(trigger: Trigger, attempt: number, lastTry: number): Promise<ExecutionReportEvent> {
    const decisionId = trigger.event.decisionId;
    const fresh = await this.records.start(decisionId, attempt);
    if (!fresh && !this.options.idempotent) {
      // Another instance began this very try (a rebalance moved the partition mid-try): running it here too
      // could do it twice.
      return this.report(this.inDoubt(trigger, attempt));
    }
    const idempotencyKey = this.records.idempotencyKey(decisionId, attempt);
    const { proposal } = trigger;
    const began = Date.now();
    const base = { executor: this.options.name, attempt, idempotencyKey };
    try {
      const result = await this.options.execute({
        decisionId,
        attempt,
        idempotencyKey,
        ...actionFieldsOf(proposal),
        ...(trigger.event.type === 'ActionApproved'
          ? { approval: trigger.event.payload }
          : { retry: trigger.event.payload }),
      });
      return this.report(
        reportOf(trigger.event, this.options.name, 'ActionExecuted', {
          ...base,
          durationMs: Date.now() - began,
          ...(result ? { result } : {}),
        }),
      );
    } catch (error) {
      const failure = ExecutionFailure.from(error);
      const willRetry = failure.retryable && attempt < lastTry;
      this.logger.warn('action failed', { decisionId, attempt, code: failure.code, willRetry });
      return this.report(
        reportOf(trigger.event, this.options.name, 'ActionFailed', {
          ...base,
          durationMs: Date.now() - began,
          error: { message: failure.message.slice(0, 2000), ...(failure.code ? { code: failure.code } : {}) },
          retryable: failure.retryable,
          willRetry,
          context: { ...executionContext(trigger), ...failure.context },
          proposal,
        }),
      );
    }
  }

  private inDoubt(trigger: Trigger, attempt: number): PlatformEvent<'ActionFailed'> {
    return reportOf(trigger.event, this.options.name, 'ActionFailed', {
      executor: this.options.name,
      attempt,
      idempotencyKey: this.records.idempotencyKey(trigger.event.decisionId, attempt),
      durationMs: 0,
      error: {
        code: 'in-doubt',
        message:
          'this try started but its end was never recorded (the executor stopped inside it); check the target system before retrying',
      },
      retryable: false,
      willRetry: false,
      context: executionContext(trigger),
      proposal: trigger.proposal,
    });
  }

  /** Stores the report, then publishes the one that stands (another instance's, if it stored first). */
  private async report(report: ExecutionReportEvent): Promise<ExecutionReportEvent> {
    safely(() => platformMetrics.executorTries().inc({ result: tryResultOf(report) }));
    const standing = await this.records.finish(report, report.payload.attempt);
    await this.publish([standing]);
    return standing;
  }

  /**
   * Undoes an action this executor carried out, once: recorded like a try (`<executor>/<decisionId>#reversal`),
   * so a redelivered request republishes the answer instead of compensating twice.
   */
  private async reverse(request: PlatformEvent<'ReversalRequested'>): Promise<void> {
    const { decisionId } = request;
    const { proposal } = request.payload;
    const earlier = await this.records.reversalOf(decisionId);
    if (earlier.report) return this.publish([earlier.report]);
    const key = this.records.idempotencyKey(decisionId, 'reversal');
    const context = {
      actionType: proposal.actionType,
      parameters: proposal.parameters,
      executedTry: request.payload.attempt,
    };
    const failed = (error: { message: string; code?: string }, durationMs = 0) =>
      reportOf(request, this.options.name, 'ReversalFailed', {
        executor: this.options.name,
        durationMs,
        error,
        context,
      });
    const compensate = this.options.compensate;
    if (!compensate) {
      return this.reportReversal(
        failed({
          code: 'not-supported',
          message: `executor ${this.options.name} cannot undo ${proposal.actionType}`,
        }),
      );
    }
    if (earlier.started && !this.options.idempotent) {
      return this.reportReversal(
        failed({
          code: 'in-doubt',
          message: 'the reversal started but its end was never recorded; check the target system',
        }),
      );
    }
    await this.records.start(decisionId, 'reversal');
    const began = Date.now();
    try {
      const result = await compensate({
        decisionId,
        idempotencyKey: key,
        ...actionFieldsOf(proposal),
        executed: {
          attempt: request.payload.attempt,
          ...(request.payload.result ? { result: request.payload.result } : {}),
        },
        reversal: request.payload,
      });
      await this.reportReversal(
        reportOf(request, this.options.name, 'ActionReversed', {
          executor: this.options.name,
          durationMs: Date.now() - began,
          ...(result ? { result } : {}),
        }),
      );
    } catch (error) {
      const failure = ExecutionFailure.from(error);
      await this.reportReversal(
        failed(
          { message: failure.message.slice(0, 2000), code: failure.code ?? 'unexpected-error' },
          Date.now() - began,
        ),
      );
    }
  }

  private async reportReversal(report: ReversalReportEvent): Promise<void> {
    await this.publish([await this.records.finish(report, 'reversal')]);
  }

  private async publish(reports: (ExecutionReportEvent | ReversalReportEvent)[]): Promise<void> {
    if (!this.publisher) throw new Error(`executor ${this.options.name} is not started`);
    await this.publisher.publishAll(
      reports.map((report) => {
        switch (report.type) {
          case 'ActionExecuted':
            return { topic: Topic.ActionExecuted, event: report };
          case 'ActionFailed':
            return { topic: Topic.ActionFailed, event: report };
          default:
            return { topic: Topic.ActionReversal, event: report };
        }
      }),
    );
  }
}

/** A report the executor publishes, caused by the event it answers (and in that event's trace). */
function reportOf<T extends 'ActionExecuted' | 'ActionFailed' | 'ActionReversed' | 'ReversalFailed'>(
  cause: PlatformEvent<'ActionApproved' | 'ExecutionRetryRequested' | 'ReversalRequested'>,
  executor: string,
  type: T,
  payload: EventPayloads[T],
): PlatformEvent<T> {
  return {
    ...newEvent(type, {
      decisionId: cause.decisionId,
      correlationId: cause.correlationId,
      producer: executor,
      payload,
    }),
    causationId: cause.eventId,
  } as PlatformEvent<T>;
}

/** What a person resolving a failure needs to see of the action, whatever the executor adds. */
function executionContext({ event, proposal }: Trigger): Record<string, unknown> {
  return {
    ...actionFieldsOf(proposal),
    ...(event.type === 'ActionApproved'
      ? { approvalMode: event.payload.mode }
      : { retryRequestedBy: event.payload.requestedBy.id }),
  };
}
