import { Label } from './oversight-tally';

/** The candidate confidence thresholds, in hundredths: 0.50 to 1.00. */
const CANDIDATES = Array.from({ length: 51 }, (_, i) => (50 + i) / 100);

export interface ThresholdSuggestion {
  /** The lowest confidence threshold whose auto decisions would have stayed at or under the target. */
  suggested: number;
  current: number;
  targetOverrideRate: number;
  /** The override rate among the labelled decisions at or above each threshold (undefined: none there). */
  overrideRateAtSuggested?: number;
  overrideRateAtCurrent?: number;
  /** Labelled decisions the suggestion would move: from review to auto (threshold lowered) or back. */
  toAuto: number;
  toReview: number;
  /** Labels the suggestion rests on. */
  labels: number;
}

/**
 * From a function's labelled history, the confidence threshold that would have kept the override rate of the
 * decisions it lets run on their own at or under the policy's target, with the most of them automated: the
 * lowest threshold whose decisions at or above it were overridden at most that often. Shown beside the current
 * threshold with how many decisions it would move; applied only by publishing a new policy version.
 * When no threshold meets the target, the suggestion is 1.00 (nothing auto).
 */
export function suggestThreshold(
  labels: readonly Label[],
  current: number,
  targetOverrideRate: number,
): ThresholdSuggestion {
  const rateAt = (threshold: number) => {
    const above = labels.filter((label) => label.confidence >= threshold);
    if (above.length === 0) return undefined;
    return above.filter((label) => label.verdict === 'overridden').length / above.length;
  };
  const suggested =
    CANDIDATES.find((threshold) => {
      const rate = rateAt(threshold);
      return rate !== undefined && rate <= targetOverrideRate;
    }) ?? 1;
  const between = (low: number, high: number) =>
    labels.filter((label) => label.confidence >= low && label.confidence < high).length;
  return {
    suggested,
    current,
    targetOverrideRate,
    overrideRateAtSuggested: rateAt(suggested),
    overrideRateAtCurrent: rateAt(current),
    toAuto: suggested < current ? between(suggested, current) : 0,
    toReview: suggested > current ? between(current, suggested) : 0,
    labels: labels.length,
  };
}
