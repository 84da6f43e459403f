import { randomUUID } from 'node:crypto';
import { Logger, MessageEvent, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Consumer, Kafka } from 'kafkajs';
import { interval, map, merge, Observable, Subject } from 'rxjs';
import { decodeEvent, EventTopic, TopicEvents } from '@oversight/contracts';

/** Keeps proxies from closing a quiet event stream. */
export const PING_INTERVAL_MS = 20_000;

export interface LiveFeedSpec<T extends EventTopic, Item> {
  /** Names the feed's consumer group and its log lines. */
  name: string;
  topics: readonly T[];
  /** What a screen gets for an event; undefined leaves the event out. */
  toItem: (event: TopicEvents[T]) => Item | undefined;
}

/**
 * Events as they happen, for live screens. Every gateway instance reads the topics in a group of its own from
 * the latest offset (each must see every event; none needs the past), and fans the items out to its connected
 * clients. Nothing here is state that matters: a restarted gateway simply carries on from now.
 */
export class LiveFeed<T extends EventTopic, Item> implements OnModuleInit, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly items = new Subject<Item>();
  private readonly consumer: Consumer;

  constructor(
    kafka: Kafka,
    private readonly spec: LiveFeedSpec<T, Item>,
  ) {
    this.logger = new Logger(spec.name);
    this.consumer = kafka.consumer({ groupId: `gateway-${spec.name}-${randomUUID()}` });
  }

  get stream(): Observable<Item> {
    return this.items.asObservable();
  }

  /** Resolves once the feed is assigned its partitions, so nothing published after start-up is missed. */
  async onModuleInit(): Promise<void> {
    const joined = new Promise<void>((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()),
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.spec.topics], fromBeginning: false });
    await this.consumer.run({
      // Live from the end for this instance only: committing would leave a group with lag behind each restart.
      autoCommit: false,
      eachMessage: async ({ topic, message }) => {
        const decoded = decodeEvent(topic as T, message.value);
        // Anything malformed is for the services' consumers to dead-letter; a live feed just skips it.
        if (!decoded.ok) return;
        const item = this.spec.toItem(decoded.value);
        if (item !== undefined) this.items.next(item);
      },
    });
    await joined;
    this.logger.log(`${this.spec.name} live on ${this.spec.topics.join(', ')}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.items.complete();
    await this.consumer.disconnect();
  }
}

/** A feed as server-sent events: `event: <type>` per item, and a `ping` now and then. */
export function serverSentEvents<Item>(type: string, items: Observable<Item>): Observable<MessageEvent> {
  return merge(
    items.pipe(map((data) => ({ type, data }) as MessageEvent)),
    interval(PING_INTERVAL_MS).pipe(map(() => ({ type: 'ping', data: {} }) as MessageEvent)),
  );
}
