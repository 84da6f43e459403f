import { PolicyDocument, resolveActionRule, tierFor } from '@oversight/policy';
import { TalliedLabel, Verdict } from './oversight-tally';

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

/** A labelled or routed decision as the amount suggestion sees it: what it moved, in the policy's currency. */
export interface AmountOutcome {
  amount: number;
  verdict?: Verdict;
}

/**
 * From a function's labelled history, the amount below which decisions could run on their own with an override
 * rate at or under the policy's target. Candidates are the labelled amounts and one above the largest (auto
 * means below the threshold). While the current threshold meets the target it is raised as far as the answers
 * above it allow, never lowered for want of evidence; when it misses, it comes down to the highest candidate
 * that meets the target, or to 0 (nothing auto by amount). Moves are counted over `decisions` (all routed
 * ones), other things being equal.
 */
export function suggestAmountThreshold(
  labels: readonly AmountOutcome[],
  current: number,
  targetOverrideRate: number,
  decisions: readonly AmountOutcome[] = labels,
): ThresholdSuggestion {
  const rateBelow = (threshold: number) => {
    const below = labels.filter((label) => label.amount < threshold);
    if (below.length === 0) return undefined;
    return below.filter((label) => label.verdict === 'overridden').length / below.length;
  };
  const meets = (threshold: number) => {
    const rate = rateBelow(threshold);
    return rate !== undefined && rate <= targetOverrideRate;
  };
  const amounts = [...new Set(labels.map((label) => label.amount))].sort((a, b) => a - b);
  const highestFirst = amounts.length
    ? [Math.floor(amounts[amounts.length - 1]) + 1, ...amounts.reverse()]
    : [];
  const suggested =
    rateBelow(current) === undefined || meets(current)
      ? Math.max(current, highestFirst.find(meets) ?? current)
      : (highestFirst.find((threshold) => threshold < current && meets(threshold)) ?? 0);
  const between = (low: number, high: number) =>
    decisions.filter((decision) => decision.amount >= low && decision.amount < high).length;
  return {
    suggested,
    current,
    targetOverrideRate,
    overrideRateAtSuggested: rateBelow(suggested),
    overrideRateAtCurrent: rateBelow(current),
    toAuto: suggested > current ? between(current, suggested) : 0,
    toReview: suggested < current ? between(suggested, current) : 0,
    labels: labels.length,
  };
}

/**
 * The amount from which the policy sends an action to people, other things being equal: the lowest amount band
 * whose risk, added to the action's sensitivity, leaves the tiers routed to auto. Undefined when no tier of the
 * action is auto, or no band moves it out of them.
 */
export function autoAmountThreshold(
  policy: PolicyDocument,
  businessFunction: string,
  actionType: string,
): number | undefined {
  const rule = resolveActionRule(policy, businessFunction, actionType);
  const base = policy.sensitivityRisk[rule.sensitivity];
  const routesAuto = (risk: number) =>
    rule.routes[tierFor(Math.min(100, base + risk), policy.tiers)] === 'auto';
  if (!routesAuto(0)) return undefined;
  return [...rule.amountBands].sort((a, b) => a.from - b.from).find((band) => !routesAuto(band.risk))?.from;
}

/** An amount suggestion in words; raising the amount lets more run on their own. */
export function describeAmountSuggestion(
  action: string,
  currency: string,
  suggestion: ThresholdSuggestion,
): string {
  const { current, suggested, toAuto, toReview } = suggestion;
  const at = (value: number) => `${value.toLocaleString('en-GB')} ${currency}`;
  if (suggested === current) return `keep the amount from which ${action} goes to people at ${at(current)}`;
  if (suggested === 0)
    return (
      `send every ${action} to people whatever the amount (${toReview} decision${toReview === 1 ? '' : 's'} ` +
      'would have gone to review)'
    );
  return suggested > current
    ? `raise the amount from which ${action} goes to people from ${at(current)} to ${at(suggested)} ` +
        `(${toAuto} decision${toAuto === 1 ? '' : 's'} would have run on their own)`
    : `lower the amount from which ${action} goes to people from ${at(current)} to ${at(suggested)} ` +
        `(${toReview} decision${toReview === 1 ? '' : 's'} would have gone to review)`;
}
