import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { newEvent, PlatformEvent, Topic } from '@oversight/contracts';
import { EventPublisher, OutgoingEvent } from '@oversight/messaging';
import { ConsumerRegistry, HaltsInForce } from '@oversight/messaging-nest';
import { RoutingEnvironment } from './config/routing-environment';
import { RoutingLedgerRepository } from './routing-ledger.repository';
import { RoutingLedgerEntry } from './routing-ledger.schema';
import { decideRoute, excludedApprovers, ReviewPlan, RoutingOutcome } from '@oversight/policy';

type Scored = PlatformEvent<'DecisionScored'>;

/**
 * Routes every scored decision exactly once: claims a fetched batch of decisions in the routing ledger with one
 * bulk insert, then publishes their outcomes in one produce request; the offsets are committed after that.
 * - a redelivered DecisionScored (same eventId: the service stopped between claiming and committing)
 *   republishes the claimed events, which carry the same eventIds as the first time, so consumers recognise a
 *   repeat;
 * - a duplicated decision (same decisionId, another event) is recognised by the claim and yields nothing.
 */
@Injectable()
export class DecisionScoredHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger(DecisionScoredHandler.name);

  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly publisher: EventPublisher,
    private readonly halts: HaltsInForce,
    private readonly ledger: RoutingLedgerRepository,
    private readonly config: ConfigService<RoutingEnvironment, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.consume({
      groupId: this.config.get('ROUTING_CONSUMER_GROUP', { infer: true }),
      topics: [Topic.DecisionScored],
      batchHandler: (consumed) => this.handle(consumed.map(({ event }) => event)),
    });
  }

  async handle(events: Scored[]): Promise<void> {
    const claims = await this.ledger.claimAll(
      events.map((event) => ({
        _id: event.decisionId,
        sourceEventId: event.eventId,
        ...this.route(event),
      })),
    );
    const outgoing: OutgoingEvent[] = [];
    const republished = new Set<string>();
    claims.forEach((claim, i) => {
      const event = events[i];
      if (claim.outcome === 'already-claimed' && claim.entry.sourceEventId !== event.eventId) {
        this.logger.warn({
          message: 'duplicate decision ignored: it was already routed',
          decisionId: event.decisionId,
          eventId: event.eventId,
          routedBy: claim.entry.sourceEventId,
          route: claim.entry.route,
        });
        return;
      }
      // The same event twice in one batch is published once.
      if (republished.has(event.eventId)) return;
      republished.add(event.eventId);
      // What was claimed first wins over this attempt's outputs: a halt may have changed in between.
      outgoing.push(...(claim.entry.outputs as unknown as OutgoingEvent[]));
    });
    await this.publisher.publishAll(outgoing);
  }

  private route(event: Scored): Pick<RoutingLedgerEntry, 'route' | 'outputs'> {
    const { proposal, tier, rule } = event.payload;
    const outcome = decideRoute({
      decisionId: event.decisionId,
      businessFunction: proposal.businessFunction,
      actionType: proposal.actionType,
      amount: proposal.amount,
      requesterId: proposal.requester.id,
      agentOwnerId: proposal.agent.ownerId,
      subjectId: proposal.subject?.id,
      tier,
      rule,
      halt: this.halts.activeHaltFor(proposal.businessFunction),
    });
    return {
      route: outcome.route,
      outputs: outputsFor(event, outcome).map(({ topic, event }) => ({
        topic,
        event: event as unknown as Record<string, unknown>,
      })),
    };
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
        rejectWhen: plan.rejectWhen,
        ...(plan.seniorRole ? { seniorRole: plan.seniorRole } : {}),
        authority: rule.authority,
        currency: rule.currency,
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
        excludedApprovers: excludedApprovers({
          requesterId: proposal.requester.id,
          agentOwnerId: proposal.agent.ownerId,
          subjectId: proposal.subject?.id,
        }),
        slaMinutes: review.slaMinutes,
        escalation: review.escalation,
        // An after-the-fact sample has nothing left to default: the action already ran.
        onTimeout: 'approve',
        rejectWhen: 'first',
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
