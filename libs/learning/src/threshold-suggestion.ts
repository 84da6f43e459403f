import { PolicyDocument, resolveActionRule, tierFor } from '@oversight/policy';
import { TalliedLabel } from './oversight-tally';

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
  /** Decisions the suggestion would move: from review to auto (threshold lowered) or back. */
  toAuto: number;
  toReview: number;
  /** Labels the suggestion rests on. */
  labels: number;
}

/**
 * From a function's labelled history, the confidence threshold that would have kept the override rate of the
 * decisions it lets run on their own at or under the policy's target, with the most of them automated: the
 * lowest threshold whose labelled decisions at or above it were overridden at most that often. Shown beside
 * the current threshold with how many of `decisions` (all routed ones; the labels when not given) it would
 * move; applied only by publishing a new policy version. When no threshold meets the target, the suggestion is
 * 1.00 (nothing auto).
 */
export function suggestThreshold(
  labels: readonly TalliedLabel[],
  current: number,
  targetOverrideRate: number,
  decisions: readonly { confidence: number }[] = labels,
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
    decisions.filter((decision) => decision.confidence >= low && decision.confidence < high).length;
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

/**
 * The confidence from which the policy lets an action run on its own, other things being equal: the lowest
 * confidence at and above which the action's sensitivity plus its confidence band stays in a tier routed to
 * auto (amount bands and flags add to that per decision). Undefined when no tier of the action is auto.
 */
export function autoConfidenceThreshold(
  policy: PolicyDocument,
  businessFunction: string,
  actionType: string,
): number | undefined {
  const rule = resolveActionRule(policy, businessFunction, actionType);
  const base = policy.sensitivityRisk[rule.sensitivity];
  const routesAuto = (confidence: number) => {
    const band = rule.confidenceBands
      .filter((b) => confidence < b.below)
      .sort((a, b) => a.below - b.below)[0];
    return rule.routes[tierFor(Math.min(100, base + (band?.risk ?? 0)), policy.tiers)] === 'auto';
  };
  if (!routesAuto(1)) return undefined;
  // Scan down in hundredths while the route stays auto: the threshold is the last confidence that was.
  let threshold = 1;
  for (let hundredths = 99; hundredths >= 0 && routesAuto(hundredths / 100); hundredths--) {
    threshold = hundredths / 100;
  }
  return threshold;
}

/** The suggestion in words, as a reviewer of the next policy version would read it. */
export function describeSuggestion(action: string, suggestion: ThresholdSuggestion): string {
  const { current, suggested, toAuto, toReview } = suggestion;
  const at = (value: number) => value.toFixed(2);
  if (suggested === current) return `keep the confidence threshold for auto on ${action} at ${at(current)}`;
  return suggested > current
    ? `raise the confidence threshold for auto on ${action} from ${at(current)} to ${at(suggested)} ` +
        `(${toReview} decision${toReview === 1 ? '' : 's'} would have gone to review)`
    : `lower the confidence threshold for auto on ${action} from ${at(current)} to ${at(suggested)} ` +
        `(${toAuto} decision${toAuto === 1 ? '' : 's'} would have run on their own)`;
}
