import { exampleDecisionProposed, newEvent, PlatformEvent } from '@oversight/contracts';
import { changedFields, observationFrom } from './decision-observation';

const proposal = exampleDecisionProposed();
const routed = {
  proposal,
  score: 5,
  tier: 'low' as const,
  riskReasons: [],
  routingReasons: ['low-tier refunds run on their own'],
  policy: { policyId: 'reference', policyVersion: 1 },
};
const review = {
  ...routed,
  kind: 'blocking',
  approvals: 1,
  eligibleRoles: ['billing-specialist'],
  excludedApprovers: ['agent-7'],
  dueAt: '2026-11-27T10:00:00.000Z',
  escalation: [],
  onTimeout: 'reject',
  notifyRoles: [],
};
const event = (type: Parameters<typeof newEvent>[0], payload: unknown) =>
  ({
    ...newEvent(type, { decisionId: 'dec-1', producer: 'routing', payload: payload as never }),
    occurredAt: '2026-11-27T09:00:00.000Z',
  }) as PlatformEvent;

describe('observationFrom', () => {
  it.each<[string, PlatformEvent, string | undefined, string | undefined]>([
    ['an automatic approval', event('ActionApproved', { ...routed, mode: 'auto' }), 'auto', undefined],
    ['a review request', event('ReviewRequested', review), 'review', '2026-11-27T10:00:00.000Z'],
    ['a block', event('DecisionBlocked', routed), 'block', undefined],
    [
      'a person approving (not a routing outcome)',
      event('ActionApproved', { ...routed, mode: 'human', approvers: [] }),
      undefined,
      undefined,
    ],
    [
      'an after-the-fact sample (already counted as auto)',
      event('ReviewRequested', { ...review, kind: 'post-hoc-sample' }),
      undefined,
      undefined,
    ],
    ['a proposal', event('DecisionProposed', proposal), undefined, undefined],
  ])('observes %s', (_name, outcome, route, dueAt) => {
    const observation = observationFrom(outcome);
    expect(observation?.route).toBe(route);
    if (route) {
      expect(observation).toMatchObject({
        decisionId: 'dec-1',
        businessFunction: 'telecom-billing',
        actionType: 'refund',
        modelId: 'gpt-ops',
        confidence: proposal.confidence,
        routedAt: '2026-11-27T09:00:00.000Z',
        parameters: proposal.parameters,
      });
      expect(observation?.dueAt).toBe(dueAt);
    }
  });
});

describe('changedFields', () => {
  const original = {
    parameters: { accountId: 'A-1', reason: 'duplicate', lines: [1, 2] },
    amount: { value: 12, currency: 'USD' },
  };
  it.each<[string, Parameters<typeof changedFields>[1], string[]]>([
    ['nothing changed', { parameters: { accountId: 'A-1', reason: 'duplicate', lines: [1, 2] } }, []],
    [
      'one parameter',
      { parameters: { accountId: 'A-2', reason: 'duplicate', lines: [1, 2] } },
      ['accountId'],
    ],
    [
      'a nested value and a removed parameter',
      { parameters: { accountId: 'A-1', lines: [1] } },
      ['lines', 'reason'],
    ],
    ['an added parameter', { parameters: { ...original.parameters, note: 'x' } }, ['note']],
    ['the amount', { amount: { value: 10, currency: 'USD' } }, ['amount']],
    ['the same amount', { amount: { value: 12, currency: 'USD' } }, []],
  ])('%s', (_name, edited, fields) => {
    expect(changedFields(original, edited)).toEqual(fields);
  });
});
