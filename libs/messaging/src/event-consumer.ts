import { backOff } from 'exponential-backoff';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage, PartitionAssigner } from 'kafkajs';
import { EventTopic, TopicEvents } from '@oversight/contracts';
import { instrumentConsumer } from '@oversight/observability';
import { DeadLetterPublisher } from './dead-letters';
import { MessagingLogger } from './logger';
import { decodeMessage } from './message-decoding';
import { withConsumerSpan } from './trace-context';

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

/**
 * Thrown by a handler that finds it no longer owns the partition (e.g. its transactional producer was fenced by
 * the instance the partition moved to): the batch is left unresolved, never retried here or dead-lettered.
 */
export class PartitionLost extends Error {
  /** kafkajs refetches, and the group's rebalance settles who handles the partition. */
  readonly retriable = true;
}

/** An event with where it was read, as a batch handler receives it. */
export interface ConsumedEvent<T extends EventTopic> {
  event: TopicEvents[T];
  context: MessageContext;
}

/** Where a batch handler's events end: the offset to commit once they are handled. */
export interface BatchPosition {
  topic: string;
  partition: number;
  /** One past the last message the call covers (invalid messages after the last event included). */
  nextOffset: string;
}

/** Handles many events in one go (one bulk write); must be idempotent, like every handler. */
export type BatchHandler<T extends EventTopic> = (
  events: ConsumedEvent<T>[],
  position: BatchPosition,
) => Promise<void>;

/** What a handler asks for when it is given a partition (see EventConsumerOptions.onPartitionStart). */
export interface PartitionStart {
  /** Show the messages from this offset up to the committed one to `replay` first. */
  replayFrom?: string;
}

/**
 * What one fetch may bring back, which bounds the memory a consumer holds; and how long the broker may wait
 * to fill it, which trades latency for fewer, larger fetches. kafkajs's defaults: 1 MiB per partition, 10 MiB
 * a fetch, answer as soon as 1 byte is there.
 */
export interface FetchLimits {
  maxBytesPerPartition?: number;
  maxBytes?: number;
  minBytes?: number;
  maxWaitTimeInMs?: number;
}

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
  fetch?: FetchLimits;
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
  /**
   * Who commits offsets. `consumer` (the default): the consumer, once the handler has returned. `handler`: the
   * batch handler, with its outputs in one Kafka transaction (see TransactionalOutputs); the consumer then
   * commits only what the handler did not cover (dead letters at the end of a batch).
   */
  offsetCommits?: 'consumer' | 'handler';
  /**
   * Called before the first batch of each partition after every rebalance, with the group's committed offset.
   * A handler whose state is derived from its input returns where that state was last saved, and the messages
   * from there up to the committed offset are shown to `replay` (nothing is published or committed for them).
   */
  onPartitionStart?: (start: {
    topic: T;
    partition: number;
    committedOffset: string;
  }) => Promise<PartitionStart | void>;
  replay?: (events: ConsumedEvent<T>[]) => Promise<void>;
  /** Called when kafkajs gives up on the consumer for good (a non-retriable broker error). */
  onCrash?: (error: Error) => void;
  logger: MessagingLogger;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 2_000 };

/**
 * Consumes platform events with the failure policy of the whole platform:
 * - a message that is not a valid event for its topic, or not keyed by it, goes to the dead-letter topic at once,
 *   with the reasons;
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
  /** Partitions whose first batch of this generation was seen, and where each one's replay ends. */
  private readonly started = new Map<string, bigint | undefined>();

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
      ...options.fetch,
      ...(options.partitionAssigners ? { partitionAssigners: options.partitionAssigners } : {}),
    });
    instrumentConsumer(this.consumer, options.groupId);
    this.firstJoin = new Promise((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()),
    );
    // A new generation may hand back a partition another instance had in between: start it afresh.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.started.clear());
    // A fetch that brought only a transaction's commit marker never reaches a handler; commit past it, as a
    // Java consumer's position would, or the group shows a lag of 1 on that partition until the next event.
    if (options.offsetCommits !== 'handler') {
      this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.batchSize !== 0) return;
        const { topic, partition } = payload;
        const offset = (BigInt(payload.lastOffset) + 1n).toString();
        this.consumer.commitOffsets([{ topic, partition, offset }]).catch((error: Error) =>
          options.logger.debug('commit past a commit marker failed; the next batch commits', {
            topic,
            partition,
            error: error.message,
          }),
        );
      });
    }
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
    if (batch.messages.length === 0) return;
    if (await this.rewoundForReplay(topic as T, partition, batch.messages[0].offset)) return;
    const replayUntil = this.started.get(`${topic}:${partition}`);
    const chunkSize = this.options.batchHandler ? (this.options.maxBatchSize ?? 500) : 1;
    let lastDone: string | undefined;
    let committedThrough = -1n;
    try {
      let messages = batch.messages;
      if (replayUntil !== undefined) {
        const replayed = messages.filter((m) => BigInt(m.offset) < replayUntil);
        messages = messages.slice(replayed.length);
        if (replayed.length) {
          await this.replay(topic as T, partition, replayed);
          resolveOffset(replayed[replayed.length - 1].offset);
        }
        if (messages.length) this.started.set(`${topic}:${partition}`, undefined);
      }
      for (let start = 0; start < messages.length; start += chunkSize) {
        if (!isRunning() || isStale()) break;
        const chunk = messages.slice(start, start + chunkSize);
        const handledThrough = await this.handleChunk(topic as T, partition, chunk, heartbeat);
        if (handledThrough > committedThrough) committedThrough = handledThrough;
        lastDone = chunk[chunk.length - 1].offset;
        resolveOffset(lastDone);
        await heartbeat();
      }
    } finally {
      // A batch's last message may be followed by a transaction's commit marker, which no handler sees:
      // committing past it keeps the group's lag at 0 once everything is handled.
      const through =
        lastDone === undefined
          ? undefined
          : lastDone === batch.messages[batch.messages.length - 1].offset
            ? BigInt(batch.lastOffset()) + 1n
            : BigInt(lastDone) + 1n;
      if (through !== undefined && committedThrough < through) {
        // The payload's commit reaches the group even while the consumer is stopping; consumer.commitOffsets
        // would silently skip it, and the last batch before every restart would be delivered twice.
        const offset = through.toString();
        await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      }
    }
  }

  /**
   * On a partition's first batch after a rebalance, asks the handler where its state was saved; if that is
   * before the committed offset, seeks back there (this batch is dropped) and remembers where replay ends.
   */
  private async rewoundForReplay(topic: T, partition: number, committedOffset: string): Promise<boolean> {
    const key = `${topic}:${partition}`;
    if (this.started.has(key)) return false;
    const start = await this.options.onPartitionStart?.({ topic, partition, committedOffset });
    const from = start?.replayFrom;
    if (from === undefined || BigInt(from) >= BigInt(committedOffset)) {
      this.started.set(key, undefined);
      return false;
    }
    this.options.logger.info('replaying a partition up to its committed offset', {
      topic,
      partition,
      from,
      to: committedOffset,
    });
    this.started.set(key, BigInt(committedOffset));
    this.consumer.seek({ topic, partition, offset: from });
    return true;
  }

  /** Shows already-handled messages to the handler's replay; invalid ones were dead-lettered the first time. */
  private async replay(topic: T, partition: number, messages: KafkaMessage[]) {
    const events: ConsumedEvent<T>[] = [];
    for (const message of messages) {
      const decoded = decodeMessage(topic, message);
      if (decoded.ok) {
        events.push({
          event: decoded.value,
          context: { topic, partition, offset: message.offset, attempt: 1 },
        });
      }
    }
    if (events.length) await this.options.replay?.(events);
  }

  /**
   * Dead-letters what is not a valid event, then handles the rest. Returns the offset the handler committed
   * through (-1 if it commits none, or in `consumer` mode).
   */
  private async handleChunk(
    topic: T,
    partition: number,
    messages: KafkaMessage[],
    heartbeat: () => Promise<void>,
  ): Promise<bigint> {
    const valid: { consumed: ConsumedEvent<T>; message: KafkaMessage }[] = [];
    for (const message of messages) {
      const decoded = decodeMessage(topic, message);
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
    if (!valid.length) return -1n;
    const nextOffset = (BigInt(messages[messages.length - 1].offset) + 1n).toString();
    return this.handleEvents(valid, nextOffset, heartbeat);
  }

  /**
   * Runs the handler with retries. A transient failure escapes (the batch is fetched again later); any other
   * failure of several events is retried event by event, so that only the bad one is dead-lettered.
   */
  private async handleEvents(
    items: { consumed: ConsumedEvent<T>; message: KafkaMessage }[],
    nextOffset: string,
    heartbeat: () => Promise<void>,
  ): Promise<bigint> {
    const { handler, batchHandler } = this.options;
    const handle: BatchHandler<T> =
      batchHandler ?? (([one]) => (handler as EventHandler<T>)(one.event, one.context));
    const byHandler = this.options.offsetCommits === 'handler';
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
      return withConsumerSpan(
        { topic: first.topic, groupId: this.options.groupId, attempt },
        items.map(({ consumed, message }) => ({
          eventId: consumed.event.eventId,
          decisionId: consumed.event.decisionId,
          headers: message.headers,
        })),
        () => handle(events, { topic: first.topic, partition: first.partition, nextOffset }),
      );
    });
    if (result.ok) return byHandler ? BigInt(nextOffset) : -1n;
    if (items.length > 1) {
      // One by one takes long: keep the group membership (a rebalance throws here, leaving the batch unresolved).
      let committedThrough = -1n;
      for (const item of items) {
        const itemNext = (BigInt(item.message.offset) + 1n).toString();
        const through = await this.handleEvents([item], itemNext, heartbeat);
        if (through > committedThrough) committedThrough = through;
        await heartbeat();
      }
      return committedThrough;
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
    return -1n;
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
          if (error instanceof PermanentFailure || error instanceof PartitionLost) return false;
          if (attempt >= this.retry.attempts) return false;
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
      if (error instanceof PartitionLost) throw error;
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
