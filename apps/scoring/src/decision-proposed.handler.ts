import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { newEvent, PlatformEvent, Topic } from '@oversight/contracts';
import { EventPublisher } from '@oversight/messaging';
import { ActivePolicy, ConsumerRegistry } from '@oversight/messaging-nest';
import { ScoringEnvironment } from './config/scoring-environment';
import { assessRisk, toAppliedRule } from '@oversight/policy';

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
      batchHandler: (consumed) =>
        this.publisher.publish(Topic.DecisionScored, ...consumed.map(({ event }) => this.score(event))),
    });
  }

  private score(event: PlatformEvent<'DecisionProposed'>): PlatformEvent<'DecisionScored'> {
    const { score, tier, reasons, rule } = assessRisk(event.payload, this.policy.current());
    return newEvent('DecisionScored', {
      decisionId: event.decisionId,
      producer: 'scoring',
      causedBy: event,
      payload: {
        proposal: event.payload,
        score,
        tier,
        reasons,
        rule: toAppliedRule(rule),
      },
    });
  }
}
