import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEvent, Topic } from '@oversight/contracts';
import { ConsumerRegistry } from '@oversight/messaging-nest';
import { EscalationEnvironment } from '../config/escalation-environment';
import { ResolutionDesk } from './resolution-desk';
import { taskAfterExecuted, taskFromFailure } from './resolve-task';

/**
 * Turns executors' reports into resolve tasks: a failure handed to people opens one (or opens it again after a
 * corrected try failed too); a corrected try carried out resolves it. Redelivered reports change nothing.
 */
@Injectable()
export class ExecutionReportsHandler implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly desk: ResolutionDesk,
    private readonly config: ConfigService<EscalationEnvironment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.consume({
      groupId: `${this.config.get('ESCALATION_CONSUMER_GROUP', { infer: true })}-resolution`,
      topics: [Topic.ActionFailed, Topic.ActionExecuted],
      handler: (event) => this.handle(event),
    });
  }

  async handle(event: PlatformEvent<'ActionFailed' | 'ActionExecuted'>): Promise<void> {
    if (event.type === 'ActionFailed') {
      // Only failures handed to people lead anywhere; the others need no read of the store.
      if (event.payload.willRetry) return;
      await this.desk.change(event.decisionId, (existing, now) => {
        const task = taskFromFailure(event, existing, now);
        return task ? { ok: true, task, events: [] } : undefined;
      });
      return;
    }
    await this.desk.change(event.decisionId, (existing, now) => {
      const task = existing && taskAfterExecuted(existing, event, now);
      return task ? { ok: true, task, events: [] } : undefined;
    });
  }
}
