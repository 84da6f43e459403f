import { backOff } from 'exponential-backoff';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
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

export interface RetryPolicy {
  /** Tries in all, including the first. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface EventConsumerOptions<T extends EventTopic> {
  /** One group per service: every instance of the service shares the partitions. */
  groupId: string;
  topics: readonly T[];
  handler: EventHandler<T>;
  /** Transient failures (store briefly down) are retried; the total must stay well under the session timeout. */
  retry?: RetryPolicy;
  /** Where a brand-new group starts; existing groups always resume at their committed offsets. */
  fromBeginning?: boolean;
  /** Partitions handled in parallel by this instance; order is kept within each partition. */
  partitionsConsumedConcurrently?: number;
  logger: MessagingLogger;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 2_000 };

/**
 * Consumes platform events with the failure policy of the whole platform:
 * - a message that is not a valid event for its topic goes to the dead-letter topic at once, with the reasons;
 * - a handler failure is retried with backoff, then dead-lettered with the last error;
 * - an offset is committed only after its message was handled or durably dead-lettered, so a crash replays
 *   rather than loses (handlers are idempotent by eventId);
 * - nothing ever crash-loops the service: the only error that escapes is failing to write the dead letter,
 *   which makes kafkajs re-deliver the batch once the broker is back.
 *
 * kafkajs is used directly, not through @nestjs/microservices, for eachBatch, manual commits and this policy.
 */
export class EventConsumer<T extends EventTopic> {
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;

  constructor(
    kafka: Kafka,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly options: EventConsumerOptions<T>,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
  }

  async start(): Promise<void> {
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

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async handleBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    let lastDone: string | undefined;
    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        await this.handleMessage(topic as T, partition, message, heartbeat);
        resolveOffset(message.offset);
        lastDone = message.offset;
        await heartbeat();
      }
    } finally {
      if (lastDone !== undefined) {
        await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(lastDone) + 1n).toString() }]);
      }
    }
  }

  private async handleMessage(
    topic: T,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ) {
    const source = { topic, partition, message, consumerGroup: this.options.groupId };
    const decoded = decodeEvent(topic, message.value);
    if (!decoded.ok) {
      this.options.logger.warn('dead-lettering an invalid message', {
        topic,
        partition,
        offset: message.offset,
        reason: decoded.reason,
        errors: decoded.errors.slice(0, 5),
      });
      await this.deadLetters.send(source, { reason: decoded.reason, errors: decoded.errors, attempts: 0 });
      return;
    }

    let attempt = 0;
    try {
      await backOff(
        () => {
          attempt += 1;
          return this.options.handler(decoded.value, { topic, partition, offset: message.offset, attempt });
        },
        {
          numOfAttempts: this.retry.attempts,
          startingDelay: this.retry.initialDelayMs,
          maxDelay: this.retry.maxDelayMs,
          jitter: 'full',
          retry: async (error: Error) => {
            if (error instanceof PermanentFailure) return false;
            this.options.logger.warn('handler failed, will retry', {
              topic,
              partition,
              offset: message.offset,
              eventId: decoded.value.eventId,
              attempt,
              error: error.message,
            });
            await heartbeat();
            return true;
          },
        },
      );
    } catch (error) {
      const reason = error instanceof PermanentFailure ? error.reason : 'handler-failed';
      const text = `${(error as Error).name}: ${(error as Error).message}`;
      this.options.logger.error('dead-lettering an event its handler could not process', {
        topic,
        partition,
        offset: message.offset,
        eventId: decoded.value.eventId,
        attempts: attempt,
        error: text,
      });
      await this.deadLetters.send(source, { reason, errors: [text], attempts: attempt });
    }
  }
}
