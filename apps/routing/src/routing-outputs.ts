import { newEvent, PlatformEvent, Topic } from '@oversight/contracts';
import { OutgoingEvent } from '@oversight/messaging';
import { ActiveHalt, decideRoute, excludedApprovers, ReviewPlan, RoutingOutcome } from '@oversight/policy';

type Scored = PlatformEvent<'DecisionScored'>;

/** The route policy and halts give a scored decision. */
export function routeOf(scored: Scored, halt: ActiveHalt | undefined): RoutingOutcome {
  const { proposal, tier, rule } = scored.payload;
  return decideRoute({
    decisionId: scored.decisionId,
    businessFunction: proposal.businessFunction,
    actionType: proposal.actionType,
    amount: proposal.amount,
    requesterId: proposal.requester.id,
    agentOwnerId: proposal.agent.ownerId,
    subjectId: proposal.subject?.id,
    tier,
    rule,
    halt,
  });
}

/** The events an outcome publishes, each derived from the scored event so a rebuild gives the same ids. */
export function outputsFor(scored: Scored, outcome: RoutingOutcome): OutgoingEvent[] {
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
