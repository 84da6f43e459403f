import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Topic } from '@oversight/contracts';
import { ControlTopicView } from '@oversight/messaging';
import { KAFKA, nestMessagingLogger } from '@oversight/messaging-nest';

/**
 * The stop button's state as the learning service needs it: whether a function is halted already, so a drift
 * never overwrites a person's halt with its own (the halt topic keeps one record per function).
 */
@Injectable()
export class HaltsInForce implements OnModuleInit, OnApplicationShutdown {
  private readonly view: ControlTopicView<typeof Topic.HaltChanged>;

  constructor(@Inject(KAFKA) kafka: Kafka) {
    this.view = new ControlTopicView(kafka, Topic.HaltChanged, { logger: nestMessagingLogger('halts') });
  }

  isHalted(businessFunction: string): boolean {
    return this.view.get(`halt/${businessFunction}`)?.payload.halted === true;
  }

  onModuleInit(): Promise<void> {
    return this.view.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.view.stop();
  }
}
