import { populationStabilityIndex, ratesOf, TalliedLabel, addLabel, emptyTally } from './oversight-tally';

export interface DriftBoundsInForce {
  windowLabels: number;
  baselineLabels: number;
  overrideRateIncrease?: number;
  psi?: number;
}

/**
 * The two windows drift compares, newest last in each: the function's latest `windowLabels` answers and
 * routed decisions, and up to `baselineLabels` of each before them (since the last episode was cleared).
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
}

const percent = (rate: number) => `${Math.round(rate * 1000) / 10} %`;

/**
 * Whether a function's AI has drifted beyond its bounds: people override it `overrideRateIncrease` more often
 * in the current window than in the baseline, or its confidence distribution moved by more than `psi`. Each
 * check needs both of its windows full, so a function with little history never alerts on noise.
 */
export function detectDrift(windows: DriftWindows, bounds: DriftBoundsInForce): DriftFinding {
  const tally = (labels: readonly TalliedLabel[]) => labels.reduce(addLabel, emptyTally());
  const baselineRates = ratesOf(tally(windows.baselineLabels));
  const currentRates = ratesOf(tally(windows.currentLabels));
  const reasons: string[] = [];

  const labelsFull =
    windows.currentLabels.length >= bounds.windowLabels &&
    windows.baselineLabels.length >= bounds.baselineLabels;
  if (
    labelsFull &&
    bounds.overrideRateIncrease !== undefined &&
    baselineRates.overrideRate !== undefined &&
    currentRates.overrideRate !== undefined &&
    currentRates.overrideRate - baselineRates.overrideRate > bounds.overrideRateIncrease
  ) {
    reasons.push(
      `override rate rose from ${percent(baselineRates.overrideRate)} (${baselineRates.labels} answers) to ` +
        `${percent(currentRates.overrideRate)} (latest ${currentRates.labels}), more than the ` +
        `${percent(bounds.overrideRateIncrease)} the policy allows`,
    );
  }

  const decisionsFull =
    windows.currentDecisions.length >= bounds.windowLabels &&
    windows.baselineDecisions.length >= bounds.baselineLabels;
  const psi = decisionsFull
    ? populationStabilityIndex(
        tally(asLabels(windows.baselineDecisions)),
        tally(asLabels(windows.currentDecisions)),
      )
    : undefined;
  if (psi !== undefined && bounds.psi !== undefined && psi > bounds.psi) {
    reasons.push(
      `confidence distribution shifted: population stability index ${psi.toFixed(2)} over the bound ${bounds.psi}`,
    );
  }

  return {
    drifting: reasons.length > 0,
    reasons,
    baseline: pick(baselineRates),
    current: pick(currentRates),
    ...(psi !== undefined ? { psi } : {}),
  };
}

function asLabels(decisions: readonly { confidence: number }[]): TalliedLabel[] {
  return decisions.map(({ confidence }) => ({ confidence, verdict: 'agreed' }));
}

function pick(rates: ReturnType<typeof ratesOf>): { labels: number; overrideRate?: number } {
  return rates.overrideRate === undefined
    ? { labels: rates.labels }
    : { labels: rates.labels, overrideRate: rates.overrideRate };
}
