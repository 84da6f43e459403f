import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ALL_FUNCTIONS, Topic } from '@oversight/contracts';
import { ControlTopicView } from '@oversight/messaging';
import { KAFKA, nestMessagingLogger } from '@oversight/messaging-nest';
import { ActiveHalt } from '@oversight/policy';

/**
 * The stop button as every routing instance sees it: the latest HaltChanged per scope on the halt control
 * topic. A halt takes effect for the next decision routed after it is read; resuming is an explicit event.
 */
@Injectable()
export class HaltSwitch implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(HaltSwitch.name);
  private readonly view: ControlTopicView<typeof Topic.HaltChanged>;

  constructor(@Inject(KAFKA) kafka: Kafka) {
    this.view = new ControlTopicView(kafka, Topic.HaltChanged, {
      logger: nestMessagingLogger('halt-view'),
      onEvent: ({ payload }) =>
        this.logger.warn(
          `${payload.halted ? 'HALT' : 'resume'} ${payload.scope} by ${payload.changedBy}: ${payload.reason}`,
        ),
    });
  }

  /** The halt in force for a function: its own, or the global one. */
  activeHaltFor(businessFunction: string): ActiveHalt | undefined {
    for (const scope of [businessFunction, ALL_FUNCTIONS]) {
      const latest = this.view.get(`halt/${scope}`);
      if (latest?.payload.halted) return { scope, reason: latest.payload.reason };
    }
    return undefined;
  }

  onModuleInit(): Promise<void> {
    return this.view.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.view.stop();
  }
}
