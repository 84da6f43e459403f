import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEvent, Topic } from '@oversight/contracts';
import { ActivePolicy, ConsumerRegistry } from '@oversight/messaging-nest';
import { channelsFor } from '@oversight/policy';
import { EscalationEnvironment } from '../config/escalation-environment';
import { ReviewDesk } from '../review/review-desk';
import { NotificationDelivery } from './notification-delivery';
import { notificationFor, notificationKind } from './review-notification';

/**
 * Tells reviewers about their tasks through the channels the policy in force names for their roles. Reads the
 * review activity in its own consumer group, so a slow receiver delays notifications, never reviews.
 */
@Injectable()
export class ReviewNotifier implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReviewNotifier.name);

  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly desk: ReviewDesk,
    private readonly policy: ActivePolicy,
    private readonly delivery: NotificationDelivery,
    private readonly config: ConfigService<EscalationEnvironment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.consume({
      groupId: `${this.config.get('ESCALATION_CONSUMER_GROUP', { infer: true })}-notify`,
      topics: [Topic.ReviewActivity],
      handler: (event) => this.handle(event as PlatformEvent<'ReviewActivity'> & { decisionId: string }),
    });
  }

  async handle(event: PlatformEvent<'ReviewActivity'> & { decisionId: string }): Promise<void> {
    // Old news is not worth a message: a new consumer group reading the topic's history, or a notifier that
    // was down for a long time, skips what people have long since seen (or missed) in their queues.
    const ageMs = Date.now() - Date.parse(event.occurredAt);
    if (ageMs > this.config.get('NOTIFY_MAX_AGE_MINUTES', { infer: true }) * 60_000) return;
    // Most acts (approvals, comments, edits) notify nobody: no need to read their task.
    if (!notificationKind(event.payload)) return;
    const task = await this.desk.find(event.decisionId);
    if (!task) return;
    const notification = notificationFor(event.payload, task, {
      eventId: event.eventId,
      occurredAt: event.occurredAt,
      consoleUrl: this.config.get('CONSOLE_URL', { infer: true }),
    });
    if (!notification) return;
    const channels = channelsFor(this.policy.current().notifications, notification.roles);
    if (channels.length === 0) return;
    const outcomes = await this.delivery.deliverAll(notification, channels);
    this.logger.log({
      message: 'review notification sent',
      decisionId: event.decisionId,
      kind: notification.kind,
      delivered: outcomes.filter((o) => o.ok).map((o) => o.channel),
      failed: outcomes.filter((o) => !o.ok).map((o) => o.channel),
    });
  }
}
