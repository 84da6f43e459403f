import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Topic } from '@oversight/contracts';
import { ControlTopicView } from '@oversight/messaging';
import { KAFKA, nestMessagingLogger } from '@oversight/messaging-nest';

export interface HaltInForce {
  scope: string;
  reason: string;
  by: string;
  since: string;
}

/** The halts in force, read from the compacted halt topic at start-up and kept current. */
@Injectable()
export class HaltView implements OnModuleInit, OnApplicationShutdown {
  private readonly view: ControlTopicView<typeof Topic.HaltChanged>;

  constructor(@Inject(KAFKA) kafka: Kafka) {
    this.view = new ControlTopicView(kafka, Topic.HaltChanged, { logger: nestMessagingLogger('halts') });
  }

  async onModuleInit(): Promise<void> {
    await this.view.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.view.stop();
  }

  inForce(): HaltInForce[] {
    return this.view
      .values()
      .filter((event) => event.payload.halted)
      .map(({ payload, occurredAt }) => ({
        scope: payload.scope,
        reason: payload.reason,
        by: payload.changedBy,
        since: occurredAt,
      }))
      .sort((a, b) => a.scope.localeCompare(b.scope));
  }
}
