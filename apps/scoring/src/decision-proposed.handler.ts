import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Topic } from '@oversight/contracts';
import { EventPublisher } from '@oversight/messaging';
import { ActivePolicy, ConsumerRegistry } from '@oversight/messaging-nest';
import { ScoringEnvironment } from './config/scoring-environment';
import { scoredEventFor } from './scored-event';

/** Scores every proposed decision against the policy in force and publishes the verdicts of a batch at once. */
@Injectable()
export class DecisionProposedHandler implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly publisher: EventPublisher,
    private readonly policy: ActivePolicy,
    private readonly config: ConfigService<ScoringEnvironment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.consume({
      groupId: this.config.get('SCORING_CONSUMER_GROUP', { infer: true }),
      topics: [Topic.DecisionProposed],
      // Built here from a validated proposal by scoredEventFor, whose spec checks them against the contract.
      batchHandler: (consumed) =>
        this.publisher.publishAll(
          consumed.map(({ event }) => ({
            topic: Topic.DecisionScored,
            event: scoredEventFor(event, this.policy.current()),
          })),
          { validate: false },
        ),
    });
  }
}
