import { newEvent, PlatformEvent } from '@oversight/contracts';
import { assessRisk, PolicyDocument, toAppliedRule } from '@oversight/policy';

/** The verdict on a proposal under a policy, as the DecisionScored event scoring publishes. */
export function scoredEventFor(
  proposed: PlatformEvent<'DecisionProposed'>,
  policy: PolicyDocument,
): PlatformEvent<'DecisionScored'> {
  const { score, tier, reasons, rule } = assessRisk(proposed.payload, policy);
  return newEvent('DecisionScored', {
    decisionId: proposed.decisionId,
    producer: 'scoring',
    causedBy: proposed,
    payload: { proposal: proposed.payload, score, tier, reasons, rule: toAppliedRule(rule) },
  });
}
