import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Consumer, Kafka } from 'kafkajs';
import { Observable, Subject } from 'rxjs';
import { decodeEvent, Topic } from '@oversight/contracts';
import { KAFKA } from '@oversight/messaging-nest';

/** What a review screen needs to know that its queue or an open task changed; it fetches the rest itself. */
export interface ReviewChange {
  decisionId: string;
  act: string;
  status: string;
  quorum: { given: number; required: number };
  occurredAt: string;
}

/**
 * Review activity as it happens, for live screens. Every gateway instance reads the topic in a group of its
 * own from the latest offset (each must see every change; none needs the past), and fans it out to its
 * connected clients. Nothing here is state that matters: a restarted gateway simply carries on from now.
 */
@Injectable()
export class ReviewFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ReviewFeed.name);
  private readonly changes = new Subject<ReviewChange>();
  private readonly consumer: Consumer;

  constructor(@Inject(KAFKA) kafka: Kafka) {
    this.consumer = kafka.consumer({ groupId: `gateway-feed-${randomUUID()}` });
  }

  get stream(): Observable<ReviewChange> {
    return this.changes.asObservable();
  }

  /** Resolves once the feed is assigned its partitions, so nothing published after start-up is missed. */
  async onModuleInit(): Promise<void> {
    const joined = new Promise<void>((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()),
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: Topic.ReviewActivity, fromBeginning: false });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeEvent(Topic.ReviewActivity, message.value);
        // Anything malformed is for the services' consumers to dead-letter; a live feed just skips it.
        if (!decoded.ok) return;
        const { payload } = decoded.value;
        this.changes.next({
          decisionId: decoded.value.decisionId,
          act: payload.act,
          status: payload.status,
          quorum: payload.quorum,
          occurredAt: decoded.value.occurredAt,
        });
      },
    });
    await joined;
    this.logger.log('review feed live');
  }

  async onApplicationShutdown(): Promise<void> {
    this.changes.complete();
    await this.consumer.disconnect();
  }
}
