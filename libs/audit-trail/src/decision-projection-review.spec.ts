import { exampleDecisionProposed, newEvent, PlatformEvent } from '@oversight/contracts';
import { projectDecision } from './decision-projection';

const decisionId = 'dec-1';
const proposal = exampleDecisionProposed({});
const routed = {
  proposal,
  score: 70,
  tier: 'high' as const,
  riskReasons: [],
  routingReasons: ['review'],
  policy: { policyId: 'reference', policyVersion: 1 },
};
const requested = newEvent('ReviewRequested', {
  decisionId,
  producer: 'routing',
  payload: {
    ...routed,
    kind: 'blocking',
    approvals: 1,
    eligibleRoles: ['billing-supervisor'],
    excludedApprovers: [],
    dueAt: '2026-11-26T12:00:00.000Z',
    escalation: [],
    onTimeout: 'reject',
  },
});
const at = '2026-11-26T11:00:00.000Z';
const approver = { id: 'sue', roles: ['billing-supervisor'], at };

describe('projectDecision after a review', () => {
  it.each<[string, PlatformEvent, Record<string, unknown>]>([
    [
      'approved by people',
      newEvent('ActionApproved', {
        decisionId,
        producer: 'escalation',
        payload: { ...routed, mode: 'human', approvers: [approver] },
      }),
      { state: 'review-approved', route: 'review', decisionMode: 'human', decidedBy: ['sue'] },
    ],
    [
      'rejected with a reason',
      newEvent('DecisionRejected', {
        decisionId,
        producer: 'escalation',
        payload: {
          ...routed,
          mode: 'human',
          rejectedBy: [approver],
          reasonCode: 'incorrect-data',
          comment: 'no',
        },
      }),
      { state: 'rejected', route: 'review', decisionMode: 'human', rejectionReason: 'incorrect-data' },
    ],
    [
      'rejected by the default on timeout',
      newEvent('DecisionRejected', {
        decisionId,
        producer: 'escalation',
        payload: { ...routed, mode: 'timeout-default', rejectedBy: [], reasonCode: 'timeout' },
      }),
      { state: 'rejected', decisionMode: 'timeout-default', decidedBy: [] },
    ],
  ])('ends %s, keeping the review route', (_name, outcome, expected) => {
    expect(projectDecision(decisionId, [requested, outcome])).toMatchObject(expected);
    // Out of order (the outcome read before the request) ends the same.
    expect(projectDecision(decisionId, [outcome, requested])).toMatchObject({ state: expected.state });
  });
});
