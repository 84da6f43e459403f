import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { newEvent, PlatformEvent, Topic } from '@oversight/contracts';
import { EventPublisher, OutgoingEvent } from '@oversight/messaging';
import { ConsumerRegistry } from '@oversight/messaging-nest';
import { RoutingEnvironment } from './config/routing-environment';
import { HaltSwitch } from './halt-switch';
import { RoutingLedgerRepository } from './routing-ledger.repository';
import { decideRoute, ReviewPlan, RoutingOutcome } from './routing-decision';

type Scored = PlatformEvent<'DecisionScored'>;

/**
 * Routes every scored decision exactly once: claims it in the routing ledger, then publishes the outcome.
 * - a redelivered DecisionScored (same eventId) whose outcome was not yet acknowledged republishes the claimed
 *   events, which carry the same eventIds as the first time, so consumers recognise a repeat;
 * - a duplicated decision (same decisionId, another event) is recognised by the claim and yields nothing.
 */
@Injectable()
export class DecisionScoredHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger(DecisionScoredHandler.name);

  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly publisher: EventPublisher,
    private readonly halts: HaltSwitch,
    private readonly ledger: RoutingLedgerRepository,
    private readonly config: ConfigService<RoutingEnvironment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.consume({
      groupId: this.config.get('ROUTING_CONSUMER_GROUP', { infer: true }),
      topics: [Topic.DecisionScored],
      handler: (event) => this.handle(event),
    });
  }

  async handle(event: Scored): Promise<void> {
    const { proposal, tier, rule } = event.payload;
    const outcome = decideRoute({
      decisionId: event.decisionId,
      businessFunction: proposal.businessFunction,
      actionType: proposal.actionType,
      amount: proposal.amount,
      requesterId: proposal.requester.id,
      tier,
      rule,
      halt: this.halts.activeHaltFor(proposal.businessFunction),
    });
    const outputs = outputsFor(event, outcome);
    const claim = await this.ledger.claim({
      _id: event.decisionId,
      sourceEventId: event.eventId,
      route: outcome.route,
      outputs: outputs.map(({ topic, event }) => ({
        topic,
        event: event as unknown as Record<string, unknown>,
      })),
    });

    if (claim.outcome === 'already-claimed') {
      if (claim.entry.sourceEventId !== event.eventId) {
        this.logger.warn({
          message: 'duplicate decision ignored: it was already routed',
          decisionId: event.decisionId,
          eventId: event.eventId,
          routedBy: claim.entry.sourceEventId,
          route: claim.entry.route,
        });
        return;
      }
      if (claim.entry.publishedAt) return;
    }
    // What was claimed first wins over this attempt's outputs: a halt may have changed in between.
    await this.publisher.publishAll(claim.entry.outputs as unknown as OutgoingEvent[]);
    await this.ledger.markPublished(event.decisionId);
  }
}

/** The events an outcome publishes, each derived from the scored event so a rebuild gives the same ids. */
function outputsFor(scored: Scored, outcome: RoutingOutcome): OutgoingEvent[] {
  const { proposal, score, tier, reasons, rule } = scored.payload;
  const common = {
    proposal,
    score,
    tier,
    riskReasons: reasons,
    routingReasons: outcome.reasons,
    policy: { policyId: rule.policyId, policyVersion: rule.policyVersion },
  };
  const from = { decisionId: scored.decisionId, producer: 'routing', causedBy: scored };
  const reviewRequest = (kind: 'blocking' | 'post-hoc-sample', plan: ReviewPlan): OutgoingEvent => ({
    topic: Topic.ReviewRequested,
    event: newEvent('ReviewRequested', {
      ...from,
      payload: {
        ...common,
        kind,
        approvals: plan.approvals,
        eligibleRoles: plan.eligibleRoles,
        excludedApprovers: plan.excludedApprovers,
        dueAt: new Date(Date.parse(scored.occurredAt) + plan.slaMinutes * 60_000).toISOString(),
        escalation: plan.escalation,
        onTimeout: plan.onTimeout,
      },
    }),
  });

  switch (outcome.route) {
    case 'auto': {
      const approved: OutgoingEvent = {
        topic: Topic.ActionApproved,
        event: newEvent('ActionApproved', { ...from, payload: { ...common, mode: 'auto' } }),
      };
      if (!outcome.postHocSample) return [approved];
      const { review } = rule;
      const sample = reviewRequest('post-hoc-sample', {
        approvals: 1,
        eligibleRoles: review.roles,
        excludedApprovers: [proposal.requester.id],
        slaMinutes: review.slaMinutes,
        escalation: review.escalation,
        onTimeout: 'approve',
      });
      return [approved, sample];
    }
    case 'review':
      return [reviewRequest('blocking', outcome.review)];
    case 'block':
      return [
        { topic: Topic.DecisionBlocked, event: newEvent('DecisionBlocked', { ...from, payload: common }) },
      ];
  }
}
