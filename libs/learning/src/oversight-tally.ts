/**
 * What a person's answer to an AI proposal says about it: they agreed (approved as proposed), overrode it
 * (rejected it, or reversed what ran on its own), or edited it (changed parameters before approving, or
 * corrected a failed action).
 */
export const VERDICTS = ['agreed', 'overridden', 'edited'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The fields of a label a tally counts (see Label in labels.ts). */
export interface TalliedLabel {
  confidence: number;
  verdict: Verdict;
}

/** Confidence buckets of a tally: [0, 0.1), [0.1, 0.2) … [0.9, 1]. */
export const CONFIDENCE_BUCKETS = 10;

export interface CalibrationBucket {
  labels: number;
  /** Sum of the confidences in the bucket, for its mean. */
  confidenceSum: number;
  agreed: number;
}

/**
 * Counts that every oversight metric is computed from. Counts add up, so a tally is kept incrementally (one
 * label at a time, or two tallies merged) and stored as it is; nothing needs the labels again.
 */
export interface OversightTally {
  labels: number;
  agreed: number;
  overridden: number;
  edited: number;
  buckets: CalibrationBucket[];
}

export function emptyTally(): OversightTally {
  return {
    labels: 0,
    agreed: 0,
    overridden: 0,
    edited: 0,
    buckets: Array.from({ length: CONFIDENCE_BUCKETS }, () => ({ labels: 0, confidenceSum: 0, agreed: 0 })),
  };
}

export function bucketOf(confidence: number): number {
  return Math.min(CONFIDENCE_BUCKETS - 1, Math.max(0, Math.floor(confidence * CONFIDENCE_BUCKETS)));
}

/** The tally with one more label. */
export function addLabel(tally: OversightTally, label: TalliedLabel): OversightTally {
  const at = bucketOf(label.confidence);
  return {
    labels: tally.labels + 1,
    agreed: tally.agreed + (label.verdict === 'agreed' ? 1 : 0),
    overridden: tally.overridden + (label.verdict === 'overridden' ? 1 : 0),
    edited: tally.edited + (label.verdict === 'edited' ? 1 : 0),
    buckets: tally.buckets.map((bucket, i) =>
      i === at
        ? {
            labels: bucket.labels + 1,
            confidenceSum: bucket.confidenceSum + label.confidence,
            agreed: bucket.agreed + (label.verdict === 'agreed' ? 1 : 0),
          }
        : bucket,
    ),
  };
}

/** Two tallies as one (windows rolled up, instances combined). */
export function mergeTallies(a: OversightTally, b: OversightTally): OversightTally {
  return {
    labels: a.labels + b.labels,
    agreed: a.agreed + b.agreed,
    overridden: a.overridden + b.overridden,
    edited: a.edited + b.edited,
    buckets: a.buckets.map((bucket, i) => ({
      labels: bucket.labels + b.buckets[i].labels,
      confidenceSum: bucket.confidenceSum + b.buckets[i].confidenceSum,
      agreed: bucket.agreed + b.buckets[i].agreed,
    })),
  };
}

export interface OversightRates {
  labels: number;
  /** Share of labels where people agreed with the AI; undefined without labels. */
  agreementRate?: number;
  overrideRate?: number;
  editRate?: number;
}

export function ratesOf(tally: OversightTally): OversightRates {
  if (tally.labels === 0) return { labels: 0 };
  return {
    labels: tally.labels,
    agreementRate: tally.agreed / tally.labels,
    overrideRate: tally.overridden / tally.labels,
    editRate: tally.edited / tally.labels,
  };
}

export interface Reliability {
  /** Per non-empty bucket: its range, mean confidence and how often people agreed. */
  buckets: { from: number; to: number; labels: number; meanConfidence: number; agreementRate: number }[];
  /**
   * Expected calibration error: the label-weighted mean gap between confidence and agreement, 0 (calibrated)
   * to 1; undefined without labels.
   */
  expectedCalibrationError?: number;
}

/** How well the model's confidence predicts that people agree with it. */
export function reliabilityOf(tally: OversightTally): Reliability {
  const buckets = tally.buckets.flatMap((bucket, i) =>
    bucket.labels === 0
      ? []
      : [
          {
            from: i / CONFIDENCE_BUCKETS,
            to: (i + 1) / CONFIDENCE_BUCKETS,
            labels: bucket.labels,
            meanConfidence: bucket.confidenceSum / bucket.labels,
            agreementRate: bucket.agreed / bucket.labels,
          },
        ],
  );
  if (tally.labels === 0) return { buckets };
  const expectedCalibrationError = buckets.reduce(
    (sum, bucket) =>
      sum + (bucket.labels / tally.labels) * Math.abs(bucket.meanConfidence - bucket.agreementRate),
    0,
  );
  return { buckets, expectedCalibrationError };
}

/** Share given to an empty bucket, so a bucket empty on one side does not make the index infinite. */
const EMPTY_SHARE = 1e-4;

/**
 * Population stability index of the confidence distribution of `current` against `baseline`: Σ (c − b)·ln(c/b)
 * over the buckets' shares. Under 0.1 is usually read as stable, 0.1–0.25 as a moderate shift, above 0.25 as a
 * major one. Undefined when either side has no labels.
 */
export function populationStabilityIndex(
  baseline: OversightTally,
  current: OversightTally,
): number | undefined {
  if (baseline.labels === 0 || current.labels === 0) return undefined;
  return baseline.buckets.reduce((sum, bucket, i) => {
    const b = Math.max(bucket.labels / baseline.labels, EMPTY_SHARE);
    const c = Math.max(current.buckets[i].labels / current.labels, EMPTY_SHARE);
    return sum + (c - b) * Math.log(c / b);
  }, 0);
}
