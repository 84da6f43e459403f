import { DecisionProposed, exampleDecisionProposed, newEvent, ReviewRequested } from '@oversight/contracts';

export interface RequestTiming {
  /** How long ago the review was requested (its timers run from then). */
  requestedAgoMs: number;
  /** When its SLA ends, from now. */
  dueInMs: number;
}

/**
 * A review request as routing would send it, for an oversight officer with one escalation step to the
 * oversight lead at one minute, timed so that a test can make its timers fall due within seconds.
 */
export function reviewRequest(
  decisionId: string,
  policyId: string,
  fields: Partial<DecisionProposed>,
  timing: RequestTiming,
  onTimeout: 'reject' | 'approve' = 'reject',
) {
  const now = Date.now();
  const proposal = exampleDecisionProposed(fields);
  const payload: ReviewRequested = {
    proposal,
    score: 50,
    tier: 'high',
    riskReasons: [],
    routingReasons: ['e2e'],
    policy: { policyId, policyVersion: 1 },
    kind: 'blocking',
    approvals: 1,
    eligibleRoles: ['oversight-officer'],
    excludedApprovers: [proposal.requester.id],
    dueAt: new Date(now + timing.dueInMs).toISOString(),
    escalation: [{ afterMinutes: 1, notifyRoles: ['oversight-lead'] }],
    onTimeout,
    authority: { 'oversight-officer': 10_000, 'oversight-lead': 10_000 },
    currency: 'USD',
  };
  return newEvent('ReviewRequested', {
    decisionId,
    producer: 'e2e-routing',
    payload,
    occurredAt: new Date(now - timing.requestedAgoMs),
  });
}
