import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ALL_FUNCTIONS, Topic } from '@oversight/contracts';
import { ControlTopicView } from '@oversight/messaging';
import { observeHaltsInForce } from '@oversight/observability';
import { ActiveHalt } from '@oversight/policy';
import { nestMessagingLogger } from './nest-messaging-logger';
import { KAFKA } from './tokens';

/** A halt as people see it: the scope, who pressed the button, why and since when. */
export interface HaltInForce {
  scope: string;
  reason: string;
  by: string;
  since: string;
}

/**
 * The stop button as every service sees it: the latest HaltChanged per scope on the compacted halt topic, read
 * whole at start-up and kept current. A halt takes effect for the next decision routed after it is read;
 * resuming is an explicit event.
 */
@Injectable()
export class HaltsInForce implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(HaltsInForce.name);
  private readonly view: ControlTopicView<typeof Topic.HaltChanged>;

  constructor(@Inject(KAFKA) kafka: Kafka) {
    this.view = new ControlTopicView(kafka, Topic.HaltChanged, {
      logger: nestMessagingLogger('halts'),
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

  /** Whether this scope itself is halted (a function's own halt, or `*`). */
  isHalted(scope: string): boolean {
    return this.view.get(`halt/${scope}`)?.payload.halted === true;
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

  async onModuleInit(): Promise<void> {
    await this.view.start();
    observeHaltsInForce(() => this.inForce().length);
  }

  onApplicationShutdown(): Promise<void> {
    return this.view.stop();
  }
}
