import {
  DecisionObservation,
  describeSuggestion,
  Label,
  autoConfidenceThreshold,
  suggestThreshold,
} from '@oversight/learning';
import { PolicyDocument, resolveLearningPolicy } from '@oversight/policy';

export interface ActionThresholdSuggestion {
  businessFunction: string;
  actionType: string;
  policy: { policyId: string; version: number };
  current: number;
  suggested: number;
  targetOverrideRate: number;
  overrideRateAtCurrent?: number;
  overrideRateAtSuggested?: number;
  toAuto: number;
  toReview: number;
  labels: number;
  /** The suggestion in words; applied only by publishing a new policy version. */
  change: string;
}

/**
 * A confidence-threshold suggestion per function and action with labelled history, against the policy in
 * force: the target override rate from the policy's learning settings, the current threshold read from the
 * action's rule. Actions the policy never lets run on their own get none (there is no threshold to move).
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
  return [...actions.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([action, { businessFunction, actionType }]) => {
      const current = autoConfidenceThreshold(policy, businessFunction, actionType);
      if (current === undefined) return [];
      const of = <T extends { businessFunction: string; actionType: string }>(items: readonly T[]) =>
        items.filter((item) => item.businessFunction === businessFunction && item.actionType === actionType);
      const { targetOverrideRate } = resolveLearningPolicy(policy, businessFunction);
      const suggestion = suggestThreshold(of(labels), current, targetOverrideRate, of(observations));
      return [
        {
          businessFunction,
          actionType,
          policy: { policyId: policy.policyId, version: policy.version },
          ...suggestion,
          change: describeSuggestion(action, suggestion),
        },
      ];
    });
}
