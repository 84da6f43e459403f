import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Kafka } from 'kafkajs';
import { Topic } from '@oversight/contracts';
import { BatchPosition, ConsumedEvent, OutgoingEvent, TransactionalOutputs } from '@oversight/messaging';
import { ConsumerRegistry, HaltsInForce, KAFKA } from '@oversight/messaging-nest';
import { RoutingEnvironment } from './config/routing-environment';
import { Claim } from './partition-claims';
import { RoutingClaims } from './routing-claims';
import { countRouted, RoutedDecision, routedDecisionOf } from './routing-metrics';
import { outputsFor, routeOf } from './routing-outputs';

/**
 * Routes every scored decision exactly once, without waiting for the store: a fetched batch's outcomes and
 * its consumer offset are published in one Kafka transaction (TransactionalOutputs), so a crash before the
 * commit leaves nothing visible to consumers (they read committed) and the batch is routed again; a crash
 * after it leaves nothing to redo. Outputs are derived from the scored event, so a retried batch publishes
 * the same eventIds. A decision routed before (a retrying agent's second proposal: another event, the same
 * decisionId) is recognised by the partition's claims (RoutingClaims) and yields nothing.
 */
@Injectable()
export class DecisionScoredHandler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DecisionScoredHandler.name);
  private readonly outputs: TransactionalOutputs;

  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly halts: HaltsInForce,
    private readonly claims: RoutingClaims,
    private readonly config: ConfigService<RoutingEnvironment, true>,
    @Inject(KAFKA) kafka: Kafka,
  ) {
    this.outputs = new TransactionalOutputs(kafka, {
      consumerGroupId: config.get('ROUTING_CONSUMER_GROUP', { infer: true }),
      inputTopic: Topic.DecisionScored,
      commitDelayMs: config.get('ROUTING_COMMIT_DELAY_MS', { infer: true }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.consume({
      groupId: this.config.get('ROUTING_CONSUMER_GROUP', { infer: true }),
      topics: [Topic.DecisionScored],
      offsetCommits: 'handler',
      maxBatchSize: this.config.get('ROUTING_BATCH_SIZE', { infer: true }),
      // Each partition has its own transactions, so partitions need not wait for each other.
      partitionsConsumedConcurrently: 6,
      onPartitionStart: async ({ partition, committedOffset }) => ({
        replayFrom: await this.claims.start(partition, committedOffset),
      }),
      // Called with one partition's valid events, never none.
      replay: async (consumed) => this.claims.replayed(consumed[0].context.partition, consumed.map(claimOf)),
      batchHandler: (consumed, position) => this.handle(consumed, position),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.outputs.stop();
  }

  async handle(
    consumed: ConsumedEvent<typeof Topic.DecisionScored>[],
    position: BatchPosition,
  ): Promise<void> {
    const { partition, nextOffset } = position;
    const routed = await this.claims.recall(
      partition,
      consumed.map(({ event }) => event.decisionId),
    );
    const outgoing: OutgoingEvent[] = [];
    const claimed: Claim[] = [];
    const routes: RoutedDecision[] = [];
    const inThisBatch = new Map<string, string>();
    consumed.forEach((item, i) => {
      const { event } = item;
      const before = routed[i];
      const routedBy = inThisBatch.get(event.decisionId) ?? (before.routed ? before.by : undefined);
      if (routedBy !== undefined) {
        // The same event again was routed with its first delivery, whose transaction committed.
        if (routedBy !== event.eventId) {
          this.logger.warn({
            message: 'duplicate decision ignored: it was already routed',
            decisionId: event.decisionId,
            eventId: event.eventId,
            routedBy,
          });
        }
        return;
      }
      inThisBatch.set(event.decisionId, event.eventId);
      claimed.push(claimOf(item));
      const halt = this.halts.activeHaltFor(event.payload.proposal.businessFunction);
      const outcome = routeOf(event, halt);
      outgoing.push(...outputsFor(event, outcome));
      routes.push(routedDecisionOf(event, outcome));
    });
    // Built here from a validated input by outputsFor, whose spec checks them against the contract.
    await this.outputs.publish(partition, outgoing, nextOffset, { validate: false });
    this.claims.committed(partition, claimed, nextOffset);
    // Counted once the transaction committed: a retried batch is not counted twice.
    countRouted(routes);
  }
}

function claimOf({ event, context }: ConsumedEvent<typeof Topic.DecisionScored>): Claim {
  return { decisionId: event.decisionId, sourceEventId: event.eventId, sourceOffset: context.offset };
}
