import {
  DecisionProposed,
  EventTopic,
  exampleDecisionProposed,
  newEvent,
  PlatformEvent,
  Topic,
  TopicEvents,
} from '@oversight/contracts';

/** What the events go out through: an EventPublisher (not imported here: messaging's own tests use this lib). */
export interface EventSink {
  publish<T extends EventTopic>(topic: T, event: TopicEvents[T]): Promise<unknown>;
}

/**
 * The events of a labelled stream, as routing and escalation would publish them, for suites that feed the
 * learning loop without driving reviews by hand.
 */
export function labelledProposal(
  businessFunction: string,
  modelVersion: string,
  confidence: number,
): DecisionProposed {
  const base = exampleDecisionProposed();
  return { ...base, businessFunction, confidence, agent: { ...base.agent, modelVersion } };
}

/** The routing fields every outcome of a decision carries. */
export function routedUnder(proposal: DecisionProposed, policyId: string, tier: 'low' | 'medium' = 'medium') {
  return {
    proposal,
    score: tier === 'low' ? 5 : 30,
    tier,
    riskReasons: [],
    routingReasons: [`policy ${policyId} routes it`],
    policy: { policyId, policyVersion: 1 },
  };
}

/** The decision held for review, with an hour's SLA from `routedAt`. */
export function reviewRequestedFor(
  decisionId: string,
  routed: ReturnType<typeof routedUnder>,
  routedAt: Date,
): PlatformEvent<'ReviewRequested'> {
  return newEvent('ReviewRequested', {
    decisionId,
    producer: 'routing',
    occurredAt: routedAt,
    payload: {
      ...routed,
      kind: 'blocking',
      approvals: 1,
      eligibleRoles: ['billing-specialist'],
      excludedApprovers: [routed.proposal.requester.id],
      dueAt: new Date(routedAt.getTime() + 60 * 60_000).toISOString(),
      escalation: [],
      onTimeout: 'reject',
    },
  }) as PlatformEvent<'ReviewRequested'>;
}

/** A reviewer's answer now: an approval (of `approved`, the proposal as edited, when given) or a rejection. */
export async function publishReviewAnswer(
  sink: EventSink,
  decisionId: string,
  routed: ReturnType<typeof routedUnder>,
  answer: 'approve' | 'reject',
  approved: DecisionProposed = routed.proposal,
): Promise<void> {
  const reviewer = { id: 'bella', roles: ['billing-specialist'], at: new Date().toISOString() };
  if (answer === 'reject') {
    await sink.publish(
      Topic.DecisionRejected,
      newEvent('DecisionRejected', {
        decisionId,
        producer: 'escalation',
        payload: { ...routed, mode: 'human', rejectedBy: [reviewer], reasonCode: 'incorrect-data' },
      }) as PlatformEvent<'DecisionRejected'>,
    );
    return;
  }
  await sink.publish(
    Topic.ActionApproved,
    newEvent('ActionApproved', {
      decisionId,
      producer: 'escalation',
      payload: { ...routed, proposal: approved, mode: 'human', approvers: [reviewer] },
    }) as PlatformEvent<'ActionApproved'>,
  );
}

export interface AnsweredDecision {
  decisionId: string;
  businessFunction: string;
  policyId: string;
  modelVersion: string;
  confidence: number;
  answer: 'approve' | 'reject';
}

/** A decision routed to review ten minutes ago and answered by a person now. */
export async function publishAnsweredDecision(
  sink: EventSink,
  { decisionId, businessFunction, policyId, modelVersion, confidence, answer }: AnsweredDecision,
): Promise<void> {
  const routed = routedUnder(labelledProposal(businessFunction, modelVersion, confidence), policyId);
  await sink.publish(
    Topic.ReviewRequested,
    reviewRequestedFor(decisionId, routed, new Date(Date.now() - 10 * 60_000)),
  );
  await publishReviewAnswer(sink, decisionId, routed, answer);
}
