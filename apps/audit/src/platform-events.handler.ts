import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EVENT_TOPICS } from '@oversight/contracts';
import { CoPartitionedAssigner } from '@oversight/messaging';
import { ConsumerRegistry } from '@oversight/messaging-nest';
import { recordAppend } from './audit-metrics';
import { AuditTrailRepository } from './audit-trail.repository';
import { DecisionIndexRepository } from './decision-index.repository';
import { AuditEnvironment } from './config/audit-environment';

/**
 * Puts every platform event, decisions and control changes alike, into the audit trail: a fetched batch is
 * written with a few bulk operations, and its offsets are committed only once those are durable. Proposals
 * and routing outcomes are entered in the read side's decision lists first (see DecisionIndexEntry).
 */
@Injectable()
export class PlatformEventsHandler implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly trail: AuditTrailRepository,
    private readonly index: DecisionIndexRepository,
    private readonly config: ConfigService<AuditEnvironment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.consume({
      groupId: this.config.get('AUDIT_CONSUMER_GROUP', { infer: true }),
      topics: EVENT_TOPICS,
      // All of a decision's events go to one instance, whose remembered chain heads then stay right.
      partitionAssigners: [CoPartitionedAssigner],
      // Batches of the same partition number take turns (AuditTrailRepository); different ones overlap.
      partitionsConsumedConcurrently: this.config.get('AUDIT_PARTITIONS_CONCURRENTLY', { infer: true }),
      maxBatchSize: this.config.get('AUDIT_BATCH_SIZE', { infer: true }),
      // The trail is not on a decision's path: fewer, fuller fetches of its 60-odd partitions spare the broker
      // and this service a fetch per event.
      fetch: {
        minBytes: 64 * 1024,
        maxWaitTimeInMs: this.config.get('AUDIT_FETCH_WAIT_MS', { infer: true }),
      },
      batchHandler: async (events) => {
        await this.index.enter(events.map(({ event, context }) => ({ event, partition: context.partition })));
        const appended = await this.trail.append(
          events.map(({ event, context }) => ({
            event,
            source: { topic: context.topic, partition: context.partition, offset: context.offset },
          })),
        );
        recordAppend(
          events.map(({ event }) => event.occurredAt),
          appended,
        );
      },
    });
  }
}
