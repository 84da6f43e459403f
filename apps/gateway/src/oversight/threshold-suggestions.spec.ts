import { DecisionObservation, Label, Verdict } from '@oversight/learning';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import { thresholdSuggestions } from './threshold-suggestions';

const reference = loadPolicyFile(REFERENCE_POLICY_FILE);
const labels = (
  count: number,
  businessFunction: string,
  actionType: string,
  confidence: number,
  verdict: Verdict,
): Label[] =>
  Array.from({ length: count }, (_, i) => ({
    decisionId: `${actionType}-${confidence}-${verdict}-${i}`,
    modelId: 'gpt-ops',
    modelVersion: 'v1',
    businessFunction,
    actionType,
    confidence,
    verdict,
    source: 'review',
    answeredAt: '2026-11-27T09:00:00.000Z',
  }));
const decisions = (count: number, confidence: number): DecisionObservation[] =>
  Array.from({ length: count }, (_, i) => ({
    decisionId: `dec-${confidence}-${i}`,
    businessFunction: 'telecom-billing',
    actionType: 'refund',
    modelId: 'gpt-ops',
    modelVersion: 'v1',
    confidence,
    route: 'review',
    tier: 'medium',
    routedAt: '2026-11-27T09:00:00.000Z',
    parameters: {},
  }));

describe('thresholdSuggestions', () => {
  it('suggests per action against the policy in force, counting the routed decisions it would move', () => {
    const suggestions = thresholdSuggestions(
      reference,
      [
        ...labels(30, 'telecom-billing', 'refund', 0.75, 'agreed'),
        ...labels(10, 'telecom-billing', 'dispute-credit', 0.85, 'overridden'),
        ...labels(5, 'telecom-billing', 'dispute-credit', 0.85, 'agreed'),
      ],
      [...decisions(12, 0.75), ...decisions(3, 0.6)],
    );
    expect(suggestions).toEqual([
      expect.objectContaining({
        businessFunction: 'telecom-billing',
        actionType: 'dispute-credit',
        current: 0.8,
        suggested: 1,
        toReview: 0,
        change:
          'raise the confidence threshold for auto on telecom-billing/dispute-credit from 0.80 to 1.00 (0 decisions would have gone to review)',
      }),
      expect.objectContaining({
        businessFunction: 'telecom-billing',
        actionType: 'refund',
        policy: { policyId: 'reference', version: 1 },
        current: 0.8,
        suggested: 0.5,
        targetOverrideRate: 0.05,
        toAuto: 15,
        labels: 30,
      }),
    ]);
  });

  it('suggests nothing for actions the policy never runs on their own', () => {
    expect(
      thresholdSuggestions(reference, labels(20, 'network-ops', 'config-change', 0.9, 'agreed'), []),
    ).toEqual([]);
  });

  it('suggests the amount from which an action goes to people, from answers in the policy currency', () => {
    const withAmount = (value: number, currency: string, verdict: Verdict) =>
      labels(5, 'telecom-billing', 'refund', 0.9, verdict).map((label, i) => ({
        ...label,
        decisionId: `${label.decisionId}-${value}-${currency}-${i}`,
        amount: { value, currency },
      }));
    const suggestions = thresholdSuggestions(
      reference,
      [
        ...withAmount(30, 'USD', 'agreed'),
        ...withAmount(150, 'USD', 'overridden'),
        ...withAmount(20, 'EUR', 'overridden'),
      ],
      [],
    );
    expect(suggestions.find((suggestion) => suggestion.kind === 'amount')).toMatchObject({
      actionType: 'refund',
      currency: 'USD',
      current: 200,
      suggested: 150,
      labels: 10,
      change:
        'lower the amount from which telecom-billing/refund goes to people from 200 USD to 150 USD (0 decisions would have gone to review)',
    });
  });
});
