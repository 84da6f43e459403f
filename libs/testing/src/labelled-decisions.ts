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

export interface AnsweredDecision {
  decisionId: string;
  businessFunction: string;
  policyId: string;
  modelVersion: string;
  confidence: number;
  answer: 'approve' | 'reject';
}

/**
 * A decision routed to review and answered by a person, as routing and escalation would publish it: the
 * labelled stream the learning loop learns from, for suites that need one without driving reviews by hand.
 */
export async function publishAnsweredDecision(
  publisher: EventSink,
  { decisionId, businessFunction, policyId, modelVersion, confidence, answer }: AnsweredDecision,
): Promise<void> {
  const base = exampleDecisionProposed();
  const proposal: DecisionProposed = {
    ...base,
    businessFunction,
    confidence,
    agent: { ...base.agent, modelVersion },
  };
  const routed = {
    proposal,
    score: 30,
    tier: 'medium' as const,
    riskReasons: [],
    routingReasons: [`policy ${policyId} routes it to review`],
    policy: { policyId, policyVersion: 1 },
  };
  const routedAt = new Date(Date.now() - 10 * 60_000);
  await publisher.publish(
    Topic.ReviewRequested,
    newEvent('ReviewRequested', {
      decisionId,
      producer: 'routing',
      occurredAt: routedAt,
      payload: {
        ...routed,
        kind: 'blocking',
        approvals: 1,
        eligibleRoles: ['billing-specialist'],
        excludedApprovers: [proposal.requester.id],
        dueAt: new Date(routedAt.getTime() + 60 * 60_000).toISOString(),
        escalation: [],
        onTimeout: 'reject',
      },
    }),
  );
  const reviewer = { id: 'bella', roles: ['billing-specialist'], at: new Date().toISOString() };
  const outcome: PlatformEvent =
    answer === 'reject'
      ? newEvent('DecisionRejected', {
          decisionId,
          producer: 'escalation',
          payload: { ...routed, mode: 'human', rejectedBy: [reviewer], reasonCode: 'incorrect-data' },
        })
      : newEvent('ActionApproved', {
          decisionId,
          producer: 'escalation',
          payload: { ...routed, mode: 'human', approvers: [reviewer] },
        });
  if (outcome.type === 'DecisionRejected') await publisher.publish(Topic.DecisionRejected, outcome);
  if (outcome.type === 'ActionApproved') await publisher.publish(Topic.ActionApproved, outcome);
}
