import { DecisionProposed, exampleDecisionProposed, PartyKind } from '@oversight/contracts';
import { loadPolicyFile, REFERENCE_POLICY_FILE, resolveActionRule, Tier } from './index';
import { decideRoute, RoutingInput, sampleDraw } from './routing-decision';

const policy = loadPolicyFile(REFERENCE_POLICY_FILE);
const usd = (value: number) => ({ value, currency: 'USD' });

/** The routing input for a proposal that scoring put in `tier` (the tiers are those of scoring's own spec). */
function scored(
  tier: Tier,
  fields: Partial<DecisionProposed>,
  extra: Partial<RoutingInput> = {},
): RoutingInput {
  const proposal = exampleDecisionProposed(fields);
  return {
    decisionId: 'dec-1',
    businessFunction: proposal.businessFunction,
    actionType: proposal.actionType,
    amount: proposal.amount,
    requesterId: proposal.requester.id,
    tier,
    rule: resolveActionRule(policy, proposal.businessFunction, proposal.actionType),
    ...extra,
  };
}

const ap = { businessFunction: 'finance-ap', actionType: 'invoice-posting' };
const dispute = { actionType: 'dispute-credit' };

describe('decideRoute on the reference policy', () => {
  // Every row has all six cells: jest reads a shorter row's missing last argument as a `done` callback.
  it.each<[string, Tier, Partial<DecisionProposed>, string, string[] | null, number | null]>([
    ['a $12 refund runs on its own', 'low', { amount: usd(12) }, 'auto', null, null],
    [
      'a disputed $150 charge waits for a person',
      'medium',
      { ...dispute, amount: usd(150) },
      'review',
      ['billing-specialist', 'billing-supervisor'],
      1,
    ],
    [
      'an invoice with no receipt lands in the AP queue',
      'high',
      { ...ap, amount: usd(800) },
      'review',
      ['ap-clerk', 'ap-manager'],
      1,
    ],
    [
      'a stop-work needs a safety lead',
      'medium',
      { businessFunction: 'construction-safety', actionType: 'stop-work', amount: undefined },
      'review',
      ['safety-lead'],
      1,
    ],
    [
      'a network change is reviewed',
      'medium',
      { businessFunction: 'network-ops', actionType: 'config-change', amount: undefined },
      'review',
      ['network-engineer'],
      1,
    ],
    [
      'an account closure is reviewed',
      'high',
      { businessFunction: 'customer-accounts', actionType: 'account-closure', amount: undefined },
      'review',
      ['account-manager'],
      1,
    ],
    [
      'a $1.2M amendment needs two qualified approvers',
      'high',
      { businessFunction: 'contract-management', actionType: 'contract-amendment', amount: usd(1_200_000) },
      'review',
      ['legal-counsel', 'finance-director'],
      2,
    ],
    [
      'an unknown function goes to people',
      'medium',
      { businessFunction: 'space-mining', actionType: 'launch', amount: undefined },
      'review',
      ['oversight-officer'],
      1,
    ],
    [
      'an unknown function at critical risk is blocked',
      'critical',
      { businessFunction: 'space-mining', actionType: 'launch', amount: undefined },
      'block',
      null,
      null,
    ],
    ['a critical refund is blocked', 'critical', { amount: usd(500) }, 'block', null, null],
  ])('%s', (_name, tier, fields, route, roles, approvals) => {
    const outcome = decideRoute(scored(tier, fields));
    expect(outcome.route).toBe(route);
    if (outcome.route === 'review') {
      expect(outcome.review.eligibleRoles).toEqual(roles);
      expect(outcome.review.approvals).toBe(approvals);
    }
  });

  it('names the policy version and tier in its first reason', () => {
    expect(decideRoute(scored('low', { amount: usd(12) })).reasons[0]).toBe(
      'policy reference v1 routes low-tier telecom-billing/refund to auto',
    );
  });

  it('sends what would run on its own to review while its function is halted', () => {
    const halt = { scope: 'telecom-billing', reason: 'refund fraud investigation' };
    const outcome = decideRoute(scored('low', { amount: usd(12) }, { halt }));
    expect(outcome.route).toBe('review');
    expect(outcome.reasons).toContain(
      'auto-execution is halted (telecom-billing): refund fraud investigation',
    );
  });

  it('leaves a halt without effect on what is reviewed or blocked anyway', () => {
    const halt = { scope: '*', reason: 'incident' };
    expect(decideRoute(scored('medium', { ...dispute, amount: usd(150) }, { halt })).route).toBe('review');
    expect(decideRoute(scored('critical', { amount: usd(500) }, { halt })).route).toBe('block');
  });

  it('narrows the approvers to the roles whose authority covers the amount', () => {
    const outcome = decideRoute(scored('high', { ...dispute, amount: usd(5000) }));
    expect(outcome).toMatchObject({ route: 'review', review: { eligibleRoles: ['billing-supervisor'] } });
    expect(outcome.reasons).toContain('billing-specialist may not approve 5000 USD');
  });

  it('raises the quorum for the tiers the policy names', () => {
    expect(decideRoute(scored('high', { ...dispute, amount: usd(1500) }))).toMatchObject({
      review: { approvals: 2 },
    });
    expect(decideRoute(scored('medium', { ...dispute, amount: usd(150) }))).toMatchObject({
      review: { approvals: 1 },
    });
  });

  it('blocks what no review role has the authority to approve', () => {
    const outcome = decideRoute(scored('high', { ...dispute, amount: usd(30_000) }));
    expect(outcome.route).toBe('block');
    expect(outcome.reasons).toContain(
      'no review role may approve 30000 USD (billing-specialist up to 1000, billing-supervisor up to 5000)',
    );
  });

  it("applies an action's own authority over the policy-wide limit", () => {
    // billing-supervisor may approve 25,000 in general but credit a disputed charge only up to 5,000.
    const refund = { actionType: 'refund' };
    expect(decideRoute(scored('high', { ...refund, amount: usd(8000) }))).toMatchObject({
      route: 'review',
      review: { eligibleRoles: ['billing-supervisor'] },
    });
    expect(decideRoute(scored('high', { ...dispute, amount: usd(8000) })).route).toBe('block');
  });

  it('names the senior role for a critical-tier review only', () => {
    const amendment = {
      businessFunction: 'contract-management',
      actionType: 'contract-amendment',
      amount: usd(1_200_000),
    };
    expect(decideRoute(scored('critical', amendment))).toMatchObject({
      route: 'review',
      review: { approvals: 2, seniorRole: 'finance-director', rejectWhen: 'first' },
    });
    const high = decideRoute(scored('high', amendment));
    expect(high.route).toBe('review');
    expect(high).not.toHaveProperty('review.seniorRole');
  });

  it('keeps the requester, the agent owner and the subject out of the approvers', () => {
    const outcome = decideRoute({
      ...scored('high', { ...dispute, amount: usd(150) }),
      agentOwnerId: 'owner-1',
      subjectId: 'cust-9',
    });
    expect(outcome).toMatchObject({ route: 'review' });
    if (outcome.route === 'review') {
      expect(outcome.review.excludedApprovers).toEqual([expect.any(String), 'owner-1', 'cust-9']);
    }
  });

  it('lets only the most senior roles approve an amount in a foreign currency', () => {
    const outcome = decideRoute(scored('medium', { ...dispute, amount: { value: 150, currency: 'EUR' } }));
    expect(outcome).toMatchObject({ route: 'review', review: { eligibleRoles: ['billing-supervisor'] } });
  });

  it('never lets the requester approve their own action', () => {
    const requester = { kind: PartyKind.User, id: 'alice' };
    const outcome = decideRoute(scored('medium', { ...dispute, amount: usd(150), requester }));
    expect(outcome).toMatchObject({ review: { excludedApprovers: ['alice'] } });
  });

  it('carries the SLA, escalation chain and safe default from the policy', () => {
    const outcome = decideRoute(
      scored('medium', {
        businessFunction: 'construction-safety',
        actionType: 'stop-work',
        amount: undefined,
      }),
    );
    expect(outcome).toMatchObject({
      review: {
        slaMinutes: 15,
        escalation: [{ afterMinutes: 15, notifyRoles: ['site-director'] }],
        onTimeout: 'approve',
      },
    });
  });
});

describe('after-the-fact audit sampling', () => {
  it('samples the same decision the same way every time', () => {
    expect(sampleDraw('dec-42')).toBe(sampleDraw('dec-42'));
    expect(sampleDraw('dec-42')).not.toBe(sampleDraw('dec-43'));
  });

  it("samples close to the policy's rate", () => {
    const input = scored('low', { amount: usd(12) });
    const sampled = Array.from({ length: 20_000 }, (_, i) =>
      decideRoute({ ...input, decisionId: `dec-${i}` }),
    ).filter((outcome) => outcome.route === 'auto' && outcome.postHocSample);
    expect(sampled.length / 20_000).toBeGreaterThan(0.04);
    expect(sampled.length / 20_000).toBeLessThan(0.06);
  });

  it('never samples when the rate is 0', () => {
    const input = scored('low', { amount: usd(12) });
    const outcome = decideRoute({ ...input, rule: { ...input.rule, auditSampleRate: 0 } });
    expect(outcome).toMatchObject({ route: 'auto', postHocSample: false });
  });
});
