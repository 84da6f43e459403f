import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEvent, Topic } from '@oversight/contracts';
import { consumedTraceCarrier } from '@oversight/messaging';
import { ConsumerRegistry } from '@oversight/messaging-nest';
import { EscalationEnvironment } from './config/escalation-environment';
import { ReviewDesk, eventsOf } from './review/review-desk';
import { openTask } from './review/review-task';
import { ReviewTaskRepository } from './review/review-task.repository';

type ReviewRequestedEvent = PlatformEvent<'ReviewRequested'> & { decisionId: string };

/**
 * Opens a review task for every review request, a fetched batch in one bulk insert. A redelivered request finds
 * its task already there and changes nothing; the offsets are committed once the tasks are stored.
 */
@Injectable()
export class ReviewRequestedHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReviewRequestedHandler.name);

  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly tasks: ReviewTaskRepository,
    private readonly desk: ReviewDesk,
    private readonly config: ConfigService<EscalationEnvironment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.consume({
      groupId: this.config.get('ESCALATION_CONSUMER_GROUP', { infer: true }),
      topics: [Topic.ReviewRequested],
      batchHandler: (consumed) => this.handle(consumed.map(({ event }) => event as ReviewRequestedEvent)),
    });
  }

  async handle(events: ReviewRequestedEvent[]): Promise<void> {
    const unique = [...new Map(events.map((event) => [event.decisionId, event])).values()];
    const created = unique.map((event) => {
      const opened = openTask(event);
      const trace = consumedTraceCarrier(event.eventId);
      if (trace) opened.task.trace = trace;
      return { task: opened.task, outbox: eventsOf(opened.task, opened) };
    });
    const existing = await this.tasks.createAll(created);
    if (existing.size > 0) {
      this.logger.log({
        message: 'review requests already had tasks (redelivery)',
        decisionIds: [...existing],
      });
    }
    await Promise.all(
      created
        .filter(({ task }) => !existing.has(task.decisionId))
        .map(({ task, outbox }) => this.desk.relay(task.decisionId, task.version, outbox, false)),
    );
  }
}
