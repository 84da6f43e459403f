import { backOff } from 'exponential-backoff';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage, PartitionAssigner } from 'kafkajs';
import { decodeEvent, EventTopic, TopicEvents } from '@oversight/contracts';
import { DeadLetterPublisher } from './dead-letters';
import { MessagingLogger } from './logger';

/** Throw this from a handler when retrying cannot help (e.g. a business rule rejects the event). */
export class PermanentFailure extends Error {
  constructor(
    message: string,
    readonly reason = 'handler-rejected',
  ) {
    super(message);
  }
}

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  /** 1 on the first try. */
  attempt: number;
}

export type EventHandler<T extends EventTopic> = (
  event: TopicEvents[T],
  context: MessageContext,
) => Promise<void>;

/** An event with where it was read, as a batch handler receives it. */
export interface ConsumedEvent<T extends EventTopic> {
  event: TopicEvents[T];
  context: MessageContext;
}

/** Handles many events in one go (one bulk write); must be idempotent, like every handler. */
export type BatchHandler<T extends EventTopic> = (events: ConsumedEvent<T>[]) => Promise<void>;

export interface RetryPolicy {
  /** Tries in all, including the first. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * Errors that say "the world is briefly unavailable", not "this event is bad": the store or broker is down.
 * Matched by name so this lib needs no database driver.
 */
const TRANSIENT_ERROR_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongooseServerSelectionError',
]);

/**
 * A store that is busy rather than broken: FerretDB's SQLite backend answers a write that meets another
 * writer's lock with "database is locked (SQLITE_BUSY)" instead of waiting for it.
 */
const STORE_BUSY = /\bSQLITE_BUSY\b|database is locked/;

export function isTransientError(error: unknown): boolean {
  const { name, retriable, message } = (error ?? {}) as {
    name?: string;
    retriable?: boolean;
    message?: string;
  };
  return (
    retriable === true ||
    (name !== undefined && TRANSIENT_ERROR_NAMES.has(name)) ||
    (typeof message === 'string' && STORE_BUSY.test(message))
  );
}

export interface EventConsumerOptions<T extends EventTopic> {
  /** One group per service: every instance of the service shares the partitions. */
  groupId: string;
  topics: readonly T[];
  /** Handles one event at a time. Give this or batchHandler. */
  handler?: EventHandler<T>;
  /**
   * Handles the valid events of a fetched batch together, up to maxBatchSize at a time, in partition order. If
   * a batch keeps failing, its events are retried one by one so only the bad one is dead-lettered.
   */
  batchHandler?: BatchHandler<T>;
  maxBatchSize?: number;
  /** How partitions are shared between instances; kafkajs's round-robin by default. */
  partitionAssigners?: PartitionAssigner[];
  /** Transient failures (store briefly down) are retried; the total must stay well under the session timeout. */
  retry?: RetryPolicy;
  /** Where a brand-new group starts; existing groups always resume at their committed offsets. */
  fromBeginning?: boolean;
  /** Partitions handled in parallel by this instance; order is kept within each partition. */
  partitionsConsumedConcurrently?: number;
  /** Tells an outage (wait and retry, never dead-letter) from a bad event. Defaults to isTransientError. */
  isTransient?: (error: unknown) => boolean;
  /** Called when kafkajs gives up on the consumer for good (a non-retriable broker error). */
  onCrash?: (error: Error) => void;
  logger: MessagingLogger;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 2_000 };

/**
 * Consumes platform events with the failure policy of the whole platform:
 * - a message that is not a valid event for its topic goes to the dead-letter topic at once, with the reasons;
 * - a handler failure is retried with backoff, then dead-lettered with the last error;
 * - a transient failure (store or broker unreachable) is never dead-lettered: after the retries the batch is
 *   abandoned unresolved and kafkajs fetches it again, with its own backoff, until the outage ends;
 * - an offset is committed only after its message was handled or durably dead-lettered, so a crash replays
 *   rather than loses (handlers are idempotent by eventId);
 * - nothing crash-loops the service on a poison message: it is dead-lettered, or, if even the dead letter is
 *   refused, dead-lettered without its value (the source offset still points at it).
 *
 * kafkajs is used directly, not through @nestjs/microservices, for eachBatch, manual commits and this policy.
 */
export class EventConsumer<T extends EventTopic> {
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;
  private readonly firstJoin: Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly options: EventConsumerOptions<T>,
  ) {
    if (!options.handler === !options.batchHandler) {
      throw new Error(`consumer ${options.groupId}: give exactly one of handler and batchHandler`);
    }
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      ...(options.partitionAssigners ? { partitionAssigners: options.partitionAssigners } : {}),
    });
    this.firstJoin = new Promise((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()),
    );
  }

  /**
   * Resolves once this instance has first joined its group and been given partitions. `start` does not wait for
   * it: a group whose old member died waits for that member's session to time out first.
   */
  joined(): Promise<void> {
    return this.firstJoin;
  }

  async start(): Promise<void> {
    const { CRASH } = this.consumer.events;
    this.consumer.on(CRASH, ({ payload }) => {
      if (payload.restart) return;
      this.options.logger.error('consumer stopped for good', {
        groupId: this.options.groupId,
        error: payload.error.message,
      });
      this.options.onCrash?.(payload.error);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.options.topics],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Finishes the work in hand, commits, and leaves the group so its partitions move on at once. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    const { topic, partition } = batch;
    const chunkSize = this.options.batchHandler ? (this.options.maxBatchSize ?? 500) : 1;
    let lastDone: string | undefined;
    try {
      for (let start = 0; start < batch.messages.length; start += chunkSize) {
        if (!isRunning() || isStale()) break;
        const chunk = batch.messages.slice(start, start + chunkSize);
        await this.handleChunk(topic as T, partition, chunk, heartbeat);
        lastDone = chunk[chunk.length - 1].offset;
        resolveOffset(lastDone);
        await heartbeat();
      }
    } finally {
      if (lastDone !== undefined) {
        // The payload's commit reaches the group even while the consumer is stopping; consumer.commitOffsets
        // would silently skip it, and the last batch before every restart would be delivered twice.
        const offset = (BigInt(lastDone) + 1n).toString();
        await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      }
    }
  }

  /** Dead-letters what is not a valid event, then handles the rest. */
  private async handleChunk(
    topic: T,
    partition: number,
    messages: KafkaMessage[],
    heartbeat: () => Promise<void>,
  ) {
    const valid: { consumed: ConsumedEvent<T>; message: KafkaMessage }[] = [];
    for (const message of messages) {
      const decoded = decodeEvent(topic, message.value);
      if (decoded.ok) {
        valid.push({
          consumed: {
            event: decoded.value,
            context: { topic, partition, offset: message.offset, attempt: 1 },
          },
          message,
        });
        continue;
      }
      this.options.logger.warn('dead-lettering an invalid message', {
        topic,
        partition,
        offset: message.offset,
        reason: decoded.reason,
        errors: decoded.errors.slice(0, 5),
      });
      await this.deadLetters.send(
        { topic, partition, message, consumerGroup: this.options.groupId },
        { reason: decoded.reason, errors: decoded.errors, attempts: 0 },
      );
    }
    if (valid.length) await this.handleEvents(valid, heartbeat);
  }

  /**
   * Runs the handler with retries. A transient failure escapes (the batch is fetched again later); any other
   * failure of several events is retried event by event, so that only the bad one is dead-lettered.
   */
  private async handleEvents(
    items: { consumed: ConsumedEvent<T>; message: KafkaMessage }[],
    heartbeat: () => Promise<void>,
  ) {
    const { handler, batchHandler } = this.options;
    const handle: BatchHandler<T> =
      batchHandler ?? (([one]) => (handler as EventHandler<T>)(one.event, one.context));
    const first = items[0].consumed.context;
    const where = {
      topic: first.topic,
      partition: first.partition,
      offset: first.offset,
      events: items.length,
    };
    const result = await this.withRetries(where, heartbeat, (attempt) => {
      const events = items.map(({ consumed }) => ({
        ...consumed,
        context: { ...consumed.context, attempt },
      }));
      return handle(events);
    });
    if (result.ok) return;
    if (items.length > 1) {
      // One by one takes long: keep the group membership (a rebalance throws here, leaving the batch unresolved).
      for (const item of items) {
        await this.handleEvents([item], heartbeat);
        await heartbeat();
      }
      return;
    }
    const { consumed, message } = items[0];
    const { error, attempts } = result;
    const reason = error instanceof PermanentFailure ? error.reason : 'handler-failed';
    this.options.logger.error('dead-lettering an event its handler could not process', {
      ...where,
      eventId: consumed.event.eventId,
      attempts,
      error: describe(error),
    });
    await this.deadLetters.send(
      {
        topic: consumed.context.topic,
        partition: consumed.context.partition,
        message,
        consumerGroup: this.options.groupId,
      },
      { reason, errors: [describe(error)], attempts },
    );
  }

  private async withRetries(
    where: Record<string, unknown>,
    heartbeat: () => Promise<void>,
    work: (attempt: number) => Promise<void>,
  ): Promise<{ ok: true } | { ok: false; error: unknown; attempts: number }> {
    const isTransient = this.options.isTransient ?? isTransientError;
    let attempt = 0;
    let heartbeatFailure: unknown;
    try {
      await backOff(() => work(++attempt), {
        numOfAttempts: this.retry.attempts,
        startingDelay: this.retry.initialDelayMs,
        maxDelay: this.retry.maxDelayMs,
        jitter: 'full',
        retry: async (error: unknown) => {
          // exponential-backoff asks even after the last attempt.
          if (error instanceof PermanentFailure || attempt >= this.retry.attempts) return false;
          try {
            await heartbeat();
          } catch (rebalance) {
            // The group is rebalancing: this partition may already be someone else's. Stop, unresolved.
            heartbeatFailure = rebalance;
            return false;
          }
          this.options.logger.warn('handler failed, will retry', {
            ...where,
            attempt,
            error: describe(error),
          });
          return true;
        },
      });
      return { ok: true };
    } catch (error) {
      if (heartbeatFailure !== undefined) throw heartbeatFailure;
      if (isTransient(error)) {
        this.options.logger.warn('outage while handling; the batch will be fetched again', {
          ...where,
          attempts: attempt,
          error: describe(error),
        });
        throw error;
      }
      return { ok: false, error, attempts: attempt };
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
