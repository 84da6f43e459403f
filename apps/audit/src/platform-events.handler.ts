import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EVENT_TOPICS, PlatformEvent } from '@oversight/contracts';
import { MessageContext } from '@oversight/messaging';
import { ConsumerRegistry } from '@oversight/messaging-nest';
import { AuditTrailRepository } from './audit-trail.repository';
import { AuditEnvironment } from './config/audit-environment';

/** Puts every platform event, decisions and control changes alike, into the audit trail as it is read. */
@Injectable()
export class PlatformEventsHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger(PlatformEventsHandler.name);

  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly trail: AuditTrailRepository,
    private readonly config: ConfigService<AuditEnvironment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.consume({
      groupId: this.config.get('AUDIT_CONSUMER_GROUP', { infer: true }),
      topics: EVENT_TOPICS,
      handler: (event, context) => this.handle(event, context),
    });
  }

  async handle(event: PlatformEvent, context: MessageContext): Promise<void> {
    const outcome = await this.trail.append(event, {
      topic: context.topic,
      partition: context.partition,
      offset: context.offset,
    });
    this.logger.debug({
      message: `audit ${outcome}`,
      eventId: event.eventId,
      decisionId: event.decisionId,
      type: event.type,
    });
  }
}
