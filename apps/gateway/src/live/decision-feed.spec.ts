import {
  ApprovalMode,
  exampleDecisionProposed,
  newEvent,
  PlatformEvent,
  ReviewKind,
} from '@oversight/contracts';
import { DecisionOutcome, toDecisionOutcome } from './decision-feed';

const AT = new Date('2026-11-26T10:00:00.000Z');
const routed = {
  proposal: exampleDecisionProposed(),
  score: 41,
  tier: 'medium' as const,
  riskReasons: [],
  routingReasons: ['medium-tier telecom-billing/refund goes to review'],
  policy: { policyId: 'reference', policyVersion: 3 },
};
const from = { decisionId: 'dec-1', producer: 'routing', occurredAt: AT };

const approved = (mode: ApprovalMode) =>
  newEvent('ActionApproved', { ...from, payload: { ...routed, mode } });
const requested = (kind: ReviewKind) =>
  newEvent('ReviewRequested', {
    ...from,
    payload: {
      ...routed,
      kind,
      approvals: 1,
      eligibleRoles: ['billing-specialist'],
      excludedApprovers: ['billing-assistant'],
      dueAt: '2026-11-26T14:00:00.000Z',
      escalation: [],
      onTimeout: 'reject',
    },
  });
const blocked = newEvent('DecisionBlocked', { ...from, payload: routed });

describe('toDecisionOutcome', () => {
  it.each<
    [
      string,
      PlatformEvent<'ActionApproved' | 'ReviewRequested' | 'DecisionBlocked'>,
      Partial<DecisionOutcome>,
    ]
  >([
    [
      'an auto approval',
      approved('auto'),
      { type: 'ActionApproved', route: 'auto', mode: 'auto', sampled: false },
    ],
    [
      'an approval by people',
      approved('human'),
      { type: 'ActionApproved', route: 'review', mode: 'human', sampled: false },
    ],
    [
      "an approval by the policy's default on timeout",
      approved('timeout-default'),
      { type: 'ActionApproved', route: 'review', mode: 'timeout-default', sampled: false },
    ],
    [
      'a review before the action runs',
      requested('blocking'),
      { type: 'ReviewRequested', route: 'review', kind: 'blocking', sampled: false },
    ],
    [
      'an after-the-fact sample of an action that ran on its own',
      requested('post-hoc-sample'),
      { type: 'ReviewRequested', route: 'auto', kind: 'post-hoc-sample', sampled: true },
    ],
    ['a block', blocked, { type: 'DecisionBlocked', route: 'block', sampled: false }],
  ])('%s', (_case, event, expected) => {
    const outcome = toDecisionOutcome(event);
    expect(outcome).toEqual({
      decisionId: 'dec-1',
      occurredAt: '2026-11-26T10:00:00.000Z',
      businessFunction: 'telecom-billing',
      actionType: 'refund',
      tier: 'medium',
      score: 41,
      amount: 12,
      currency: 'USD',
      reasons: ['medium-tier telecom-billing/refund goes to review'],
      ...expected,
    });
  });

  it('leaves out the amount of a proposal without one', () => {
    const { amount: _amount, ...proposal } = exampleDecisionProposed();
    const outcome = toDecisionOutcome(
      newEvent('DecisionBlocked', { ...from, payload: { ...routed, proposal } }),
    );
    expect(outcome).not.toHaveProperty('amount');
    expect(outcome).not.toHaveProperty('currency');
  });
});
