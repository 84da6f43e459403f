import { exampleDecisionProposed, newEvent } from '@oversight/contracts';
import { loadPolicyFile, REFERENCE_POLICY_FILE, resolveActionRule, toAppliedRule } from '@oversight/policy';

const policy = loadPolicyFile(REFERENCE_POLICY_FILE);

/** The events a refund produces on its way through the pipeline, as scoring and routing would publish them. */
export function refundJourney(
  decisionId: string,
  amount = 12,
  businessFunction = 'telecom-billing',
  proposedAt = Date.now() - 1000,
) {
  const at = (ms: number) => new Date(proposedAt + ms);
  const proposal = exampleDecisionProposed({ businessFunction, amount: { value: amount, currency: 'USD' } });
  const proposed = newEvent('DecisionProposed', {
    decisionId,
    producer: 'agent',
    payload: proposal,
    occurredAt: at(0),
  });
  const rule = resolveActionRule(policy, proposal.businessFunction, proposal.actionType);
  const scored = newEvent('DecisionScored', {
    decisionId,
    producer: 'scoring',
    causedBy: proposed,
    occurredAt: at(1),
    payload: { proposal, score: 5, tier: 'low', reasons: [], rule: toAppliedRule(rule) },
  });
  const outcome = {
    proposal,
    score: 5,
    tier: 'low' as const,
    riskReasons: [],
    routingReasons: ['policy reference v1 routes low-tier telecom-billing/refund to auto'],
    policy: { policyId: rule.policyId, policyVersion: rule.policyVersion },
  };
  const approved = newEvent('ActionApproved', {
    decisionId,
    producer: 'routing',
    causedBy: scored,
    occurredAt: at(2),
    payload: { ...outcome, mode: 'auto' },
  });
  return { proposed, scored, approved };
}
