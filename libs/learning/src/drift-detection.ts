import {
  bucketOf,
  CONFIDENCE_BUCKETS,
  emptyTally,
  OversightTally,
  populationStabilityIndex,
  TalliedLabel,
} from './oversight-tally';
import { higherRateP, homogeneityTest } from './significance';

export interface DriftBoundsInForce {
  windowLabels: number;
  baselineLabels: number;
  /** Fewest labels either window holds: a window set smaller is read at this size. */
  minLabels: number;
  /** Fewest routed decisions either window holds, for the confidence distribution. */
  minDecisions: number;
  /** How unlikely, with nothing changed, a difference must be to count (one-sided, per check). */
  significance: number;
  overrideRateIncrease?: number;
  psi?: number;
}

/** How many labels and decisions each window holds under the bounds, newest window first. */
export interface DriftWindowSizes {
  currentLabels: number;
  baselineLabels: number;
  currentDecisions: number;
  baselineDecisions: number;
}

export function driftWindowSizes(bounds: DriftBoundsInForce): DriftWindowSizes {
  return {
    currentLabels: Math.max(bounds.windowLabels, bounds.minLabels),
    baselineLabels: Math.max(bounds.baselineLabels, bounds.minLabels),
    currentDecisions: Math.max(bounds.windowLabels, bounds.minDecisions),
    baselineDecisions: Math.max(bounds.baselineLabels, bounds.minDecisions),
  };
}

/**
 * The two windows drift compares, newest last in each (sizes from driftWindowSizes): the function's latest
 * answers and routed decisions, and those before them (since the last episode was cleared).
 */
export interface DriftWindows {
  baselineLabels: readonly TalliedLabel[];
  currentLabels: readonly TalliedLabel[];
  baselineDecisions: readonly { confidence: number }[];
  currentDecisions: readonly { confidence: number }[];
}

export interface DriftFinding {
  drifting: boolean;
  reasons: string[];
  baseline: { labels: number; overrideRate?: number };
  current: { labels: number; overrideRate?: number };
  psi?: number;
  /** How likely each difference is with nothing changed; present for the checks that ran. */
  pValues: { overrideRate?: number; confidence?: number };
}

const percent = (rate: number) => `${Math.round(rate * 1000) / 10} %`;
const probability = (p: number) => (p < 0.001 ? p.toExponential(1) : String(Math.round(p * 10000) / 10000));

/**
 * Whether a function's AI has drifted beyond its bounds. A difference must be both material and significant:
 * the override rate rose by more than `overrideRateIncrease`, or the confidence distribution moved by a
 * population stability index above `psi`, and chance would explain it less often than `significance` (a
 * one-sided Fisher exact test for the rate, a chi-square test of homogeneity for the distribution). Small
 * windows make both figures noisy (the index is biased upwards, about (bins − 1)·(1/n₁ + 1/n₂) with nothing
 * changed), so a bound alone fires on a stationary stream; the test is what tells noise from a shift. Each
 * check also needs both of its windows full.
 */
export function detectDrift(windows: DriftWindows, bounds: DriftBoundsInForce): DriftFinding {
  const sizes = driftWindowSizes(bounds);
  const baseline = overridesOf(windows.baselineLabels);
  const current = overridesOf(windows.currentLabels);
  const reasons: string[] = [];
  const pValues: DriftFinding['pValues'] = {};

  const labelsFull =
    windows.currentLabels.length >= sizes.currentLabels &&
    windows.baselineLabels.length >= sizes.baselineLabels;
  if (labelsFull && bounds.overrideRateIncrease !== undefined) {
    const baselineRate = baseline.overridden / baseline.labels;
    const currentRate = current.overridden / current.labels;
    pValues.overrideRate = higherRateP(
      current.overridden,
      current.labels,
      baseline.overridden,
      baseline.labels,
    );
    if (
      currentRate - baselineRate > bounds.overrideRateIncrease &&
      pValues.overrideRate < bounds.significance
    ) {
      reasons.push(
        `override rate rose from ${percent(baselineRate)} (${baseline.labels} answers) to ` +
          `${percent(currentRate)} (latest ${current.labels}), more than the ` +
          `${percent(bounds.overrideRateIncrease)} the policy allows ` +
          `(p = ${probability(pValues.overrideRate)}, significance ${bounds.significance})`,
      );
    }
  }

  const decisionsFull =
    windows.currentDecisions.length >= sizes.currentDecisions &&
    windows.baselineDecisions.length >= sizes.baselineDecisions;
  let psi: number | undefined;
  if (decisionsFull) {
    const baselineTally = confidenceTally(windows.baselineDecisions);
    const currentTally = confidenceTally(windows.currentDecisions);
    psi = populationStabilityIndex(baselineTally, currentTally);
    const test = homogeneityTest(
      baselineTally.buckets.map((bucket) => bucket.labels),
      currentTally.buckets.map((bucket) => bucket.labels),
    );
    // One group left after pooling: the windows do not differ at any resolution their sizes support.
    pValues.confidence = test?.pValue ?? 1;
    if (
      psi !== undefined &&
      bounds.psi !== undefined &&
      psi > bounds.psi &&
      pValues.confidence < bounds.significance
    ) {
      reasons.push(
        `confidence distribution shifted: population stability index ${psi.toFixed(2)} over the bound ` +
          `${bounds.psi} (p = ${probability(pValues.confidence)}, significance ${bounds.significance})`,
      );
    }
  }

  return {
    drifting: reasons.length > 0,
    reasons,
    baseline: rateOf(baseline),
    current: rateOf(current),
    ...(psi !== undefined ? { psi } : {}),
    pValues,
  };
}

/** Counted in one pass: the check runs often over windows of thousands, so no tally per label. */
function overridesOf(labels: readonly TalliedLabel[]): { labels: number; overridden: number } {
  let overridden = 0;
  for (const label of labels) if (label.verdict === 'overridden') overridden++;
  return { labels: labels.length, overridden };
}

function confidenceTally(decisions: readonly { confidence: number }[]): OversightTally {
  const counts = new Array<number>(CONFIDENCE_BUCKETS).fill(0);
  for (const { confidence } of decisions) counts[bucketOf(confidence)]++;
  const tally = emptyTally();
  return {
    ...tally,
    labels: decisions.length,
    buckets: tally.buckets.map((bucket, i) => ({ ...bucket, labels: counts[i] })),
  };
}

function rateOf({ labels, overridden }: { labels: number; overridden: number }): {
  labels: number;
  overrideRate?: number;
} {
  return labels === 0 ? { labels } : { labels, overrideRate: overridden / labels };
}
