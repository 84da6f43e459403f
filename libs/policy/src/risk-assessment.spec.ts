import { DecisionProposed, exampleDecisionProposed, Reversibility } from '@oversight/contracts';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from './index';
import { assessRisk } from './risk-assessment';

const policy = loadPolicyFile(REFERENCE_POLICY_FILE);

const proposal = (fields: Partial<DecisionProposed>): DecisionProposed => exampleDecisionProposed(fields);
const usd = (value: number) => ({ value, currency: 'USD' });

describe('assessRisk on the reference policy', () => {
  it.each<[string, Partial<DecisionProposed>, number, string, string[]]>([
    // The reference scenarios.
    ['a $12 refund', { amount: usd(12) }, 5, 'low', ['sensitivity']],
    [
      'a disputed charge of $150',
      { actionType: 'dispute-credit', amount: usd(150) },
      35,
      'medium',
      ['sensitivity', 'amount'],
    ],
    [
      'a clean $800 invoice',
      {
        businessFunction: 'finance-ap',
        actionType: 'invoice-posting',
        amount: usd(800),
        parameters: { poNumber: 'PO-1' },
      },
      20,
      'low',
      ['sensitivity'],
    ],
    [
      'an invoice with a price mismatch',
      {
        businessFunction: 'finance-ap',
        actionType: 'invoice-posting',
        amount: usd(800),
        parameters: { priceMismatch: true },
      },
      60,
      'high',
      ['sensitivity', 'parameter-flag'],
    ],
    [
      'an invoice with no goods receipt',
      {
        businessFunction: 'finance-ap',
        actionType: 'invoice-posting',
        amount: usd(800),
        parameters: { receiptMissing: true },
      },
      60,
      'high',
      ['sensitivity', 'parameter-flag'],
    ],
    [
      'a stop-work on a safety-document flag',
      {
        businessFunction: 'construction-safety',
        actionType: 'stop-work',
        amount: undefined,
        reversibility: Reversibility.PartiallyReversible,
      },
      55,
      'medium',
      ['sensitivity', 'reversibility'],
    ],
    [
      'a network configuration change',
      { businessFunction: 'network-ops', actionType: 'config-change', amount: undefined },
      45,
      'medium',
      ['sensitivity'],
    ],
    [
      'an account closure',
      {
        businessFunction: 'customer-accounts',
        actionType: 'account-closure',
        amount: undefined,
        reversibility: Reversibility.Irreversible,
      },
      70,
      'high',
      ['sensitivity', 'reversibility'],
    ],
    [
      'a $1.2M contract amendment',
      {
        businessFunction: 'contract-management',
        actionType: 'contract-amendment',
        amount: usd(1_200_000),
        reversibility: Reversibility.PartiallyReversible,
      },
      75,
      'high',
      ['sensitivity', 'amount', 'reversibility'],
    ],
    // Boundaries.
    ['a refund exactly at the $50 band', { amount: usd(50) }, 25, 'low', ['sensitivity', 'amount']],
    ['a refund a cent under the band', { amount: usd(49.99) }, 5, 'low', ['sensitivity']],
    [
      'a refund at the $200 band (highest band wins)',
      { amount: usd(200) },
      45,
      'medium',
      ['sensitivity', 'amount'],
    ],
    [
      'confidence exactly at the 0.8 threshold',
      { amount: usd(12), confidence: 0.8 },
      5,
      'low',
      ['sensitivity'],
    ],
    [
      'confidence just under 0.8, landing exactly on the medium tier',
      { amount: usd(12), confidence: 0.79 },
      30,
      'medium',
      ['sensitivity', 'low-confidence'],
    ],
    [
      'confidence 0 (lowest band wins)',
      { amount: usd(12), confidence: 0 },
      50,
      'medium',
      ['sensitivity', 'low-confidence'],
    ],
    ['confidence 1', { amount: usd(12), confidence: 1 }, 5, 'low', ['sensitivity']],
    ['a refund with no amount', { amount: undefined }, 35, 'medium', ['sensitivity', 'missing-amount']],
    [
      'a refund in another currency',
      { amount: { value: 12, currency: 'EUR' } },
      35,
      'medium',
      ['sensitivity', 'foreign-currency'],
    ],
    [
      'an unknown function',
      { businessFunction: 'space-mining', actionType: 'launch', amount: undefined },
      45,
      'medium',
      ['unnamed-action', 'sensitivity'],
    ],
    [
      'an unknown function, irreversible and unsure',
      {
        businessFunction: 'space-mining',
        actionType: 'launch',
        amount: undefined,
        confidence: 0.3,
        reversibility: Reversibility.Irreversible,
      },
      100,
      'critical',
      ['unnamed-action', 'sensitivity', 'low-confidence', 'reversibility'],
    ],
    [
      'everything at once (capped at 100)',
      {
        businessFunction: 'finance-ap',
        actionType: 'invoice-posting',
        amount: usd(500_000),
        confidence: 0.1,
        reversibility: Reversibility.Irreversible,
        parameters: { priceMismatch: true, receiptMissing: true },
      },
      100,
      'critical',
      ['sensitivity', 'amount', 'low-confidence', 'reversibility', 'parameter-flag', 'parameter-flag'],
    ],
  ])('%s scores %i (%s)', (_name, fields, score, tier, codes) => {
    const assessment = assessRisk(proposal(fields), policy);
    expect(assessment.score).toBe(score);
    expect(assessment.tier).toBe(tier);
    expect(assessment.reasons.map((r) => r.code)).toEqual(codes);
  });

  it('explains each reason with the values that made it fire', () => {
    const { reasons, rule } = assessRisk(
      proposal({
        businessFunction: 'contract-management',
        actionType: 'contract-amendment',
        amount: usd(1_200_000),
      }),
      policy,
    );
    expect(reasons.find((r) => r.code === 'amount')).toEqual({
      code: 'amount',
      points: 45,
      detail: 'amount 1200000 USD is at least 1000000',
      values: { amount: 1_200_000, currency: 'USD', threshold: 1_000_000 },
    });
    expect(rule).toMatchObject({ policyId: 'reference', policyVersion: 1, review: { approvals: 2 } });
  });

  it('names the flag that fired in words a reviewer understands', () => {
    const { reasons } = assessRisk(
      proposal({
        businessFunction: 'finance-ap',
        actionType: 'invoice-posting',
        amount: usd(800),
        parameters: { receiptMissing: true, priceMismatch: false },
      }),
      policy,
    );
    expect(reasons.filter((r) => r.code === 'parameter-flag')).toEqual([
      {
        code: 'parameter-flag',
        points: 40,
        detail: 'no goods receipt for the invoiced items',
        values: { parameter: 'receiptMissing', value: true },
      },
    ]);
  });
});
