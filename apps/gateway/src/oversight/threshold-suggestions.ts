import {
  autoAmountThreshold,
  autoConfidenceThreshold,
  DecisionObservation,
  describeAmountSuggestion,
  describeSuggestion,
  Label,
  suggestAmountThreshold,
  suggestThreshold,
  ThresholdSuggestion,
} from '@oversight/learning';
import { PolicyDocument, resolveLearningPolicy } from '@oversight/policy';

export type ThresholdKind = 'confidence' | 'amount';

export interface ActionThresholdSuggestion extends ThresholdSuggestion {
  businessFunction: string;
  actionType: string;
  /** confidence: auto from this confidence up; amount: auto below this amount (in `currency`). */
  kind: ThresholdKind;
  currency?: string;
  policy: { policyId: string; version: number };
  /** The suggestion in words; applied only by publishing a new policy version. */
  change: string;
}

/**
 * Threshold suggestions per function and action with labelled history, against the policy in force, with the
 * target override rate from the policy's learning settings: the confidence from which the action runs on its
 * own, and, for actions whose amount bands send larger ones to people, that amount (in the policy's currency).
 * Actions the policy never lets run on their own get none (there is no threshold to move).
 */
export function thresholdSuggestions(
  policy: PolicyDocument,
  labels: readonly Label[],
  observations: readonly DecisionObservation[],
): ActionThresholdSuggestion[] {
  const actions = new Map<string, { businessFunction: string; actionType: string }>();
  for (const { businessFunction, actionType } of labels) {
    actions.set(`${businessFunction}/${actionType}`, { businessFunction, actionType });
  }
  const inPolicyCurrency = <T extends { amount?: { value: number; currency: string } }>(
    items: readonly T[],
  ) =>
    items.flatMap((item) =>
      item.amount?.currency === policy.currency ? [{ ...item, amount: item.amount.value }] : [],
    );
  return [...actions.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([action, { businessFunction, actionType }]) => {
      const of = <T extends { businessFunction: string; actionType: string }>(items: readonly T[]) =>
        items.filter((item) => item.businessFunction === businessFunction && item.actionType === actionType);
      const { targetOverrideRate } = resolveLearningPolicy(policy, businessFunction);
      const base = {
        businessFunction,
        actionType,
        policy: { policyId: policy.policyId, version: policy.version },
      };
      const suggestions: ActionThresholdSuggestion[] = [];

      const confidence = autoConfidenceThreshold(policy, businessFunction, actionType);
      if (confidence !== undefined) {
        const suggestion = suggestThreshold(of(labels), confidence, targetOverrideRate, of(observations));
        suggestions.push({
          ...base,
          kind: 'confidence',
          ...suggestion,
          change: describeSuggestion(action, suggestion),
        });
      }
      const amount = autoAmountThreshold(policy, businessFunction, actionType);
      const withAmounts = inPolicyCurrency(of(labels));
      if (amount !== undefined && withAmounts.length > 0) {
        const suggestion = suggestAmountThreshold(
          withAmounts,
          amount,
          targetOverrideRate,
          inPolicyCurrency(of(observations)),
        );
        suggestions.push({
          ...base,
          kind: 'amount',
          currency: policy.currency,
          ...suggestion,
          change: describeAmountSuggestion(action, policy.currency, suggestion),
        });
      }
      return suggestions;
    });
}
