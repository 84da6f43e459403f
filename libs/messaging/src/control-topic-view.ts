import { randomUUID } from 'node:crypto';
import { Consumer, Kafka } from 'kafkajs';
import { decodeEvent, eventKey, EventTopic, TopicEvents } from '@oversight/contracts';
import { MessagingLogger } from './logger';

/**
 * The latest event per key of a compacted control topic (policies, halts), kept up to date in memory by every
 * instance of a service. It is a cache of the topic, not state of its own: each instance reads the topic from
 * the beginning with a throw-away group that commits nothing, and `start()` returns only once everything that
 * was on the topic at start-up has been applied, so no decision is handled with a stale view.
 */
export class ControlTopicView<T extends EventTopic> {
  private readonly latest = new Map<string, TopicEvents[T]>();
  private readonly consumer: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: T,
    private readonly options: {
      logger: MessagingLogger;
      /** Called for each valid event as it is applied, including those read at start-up. */
      onEvent?: (event: TopicEvents[T]) => void;
      catchUpTimeoutMs?: number;
    },
  ) {
    this.consumer = kafka.consumer({
      groupId: `view-${topic}-${randomUUID()}`,
      allowAutoTopicCreation: false,
    });
  }

  get(key: string): TopicEvents[T] | undefined {
    return this.latest.get(key);
  }

  values(): TopicEvents[T][] {
    return [...this.latest.values()];
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(this.topic).finally(() => admin.disconnect());
    const behind = new Map(ends.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]));

    let caughtUp!: () => void;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    if (behind.size === 0) caughtUp();

    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const decoded = decodeEvent(this.topic, message.value);
        if (decoded.ok) {
          this.latest.set(eventKey(decoded.value), decoded.value);
          this.options.onEvent?.(decoded.value);
        } else {
          this.options.logger.warn('ignoring an invalid control event', {
            topic: this.topic,
            partition,
            offset: message.offset,
            reason: decoded.reason,
            errors: decoded.errors.slice(0, 5),
          });
        }
        const end = behind.get(partition);
        if (end !== undefined && BigInt(message.offset) + 1n >= end) {
          behind.delete(partition);
          if (behind.size === 0) caughtUp();
        }
      },
    });

    const timeoutMs = this.options.catchUpTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.topic} not read to its end within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    await Promise.race([ready, timedOut]).finally(() => clearTimeout(timer));
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
