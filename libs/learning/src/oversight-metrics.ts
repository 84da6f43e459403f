import { DecisionObservation } from './decision-observation';
import { Label } from './labels';
import { addLabel, emptyTally, OversightRates, ratesOf, Reliability, reliabilityOf } from './oversight-tally';

export interface MetricsWindow {
  from: Date;
  to: Date;
  bucketMinutes: number;
}

export interface RoutingCounts {
  decisions: number;
  auto: number;
  review: number;
  block: number;
  /** Share of decisions routed to people (review); undefined without decisions. */
  humanShare?: number;
}

export interface ReviewerLatency {
  answered: number;
  medianMinutes?: number;
  p90Minutes?: number;
  /** Share of the answers with an SLA that came inside it. */
  withinSlaShare?: number;
}

export type SeriesPoint = { start: string } & RoutingCounts & OversightRates;

export interface ModelRow extends OversightRates {
  modelId: string;
  modelVersion: string;
  businessFunction: string;
  actionType: string;
  decisions: number;
  meanConfidence?: number;
}

export interface OversightMetrics {
  from: string;
  to: string;
  bucketMinutes: number;
  totals: RoutingCounts &
    OversightRates & {
      edits: { field: string; count: number }[];
      reviewerLatency: ReviewerLatency;
      calibration: Reliability;
      driftAlerts: number;
    };
  series: SeriesPoint[];
  byModel: ModelRow[];
}

/**
 * Every oversight metric of a window, from the decisions routed in it and the human answers given in it:
 * routing shares, agreement/override/edit rates, what was edited, reviewer latency against the SLA, confidence
 * calibration, a time series in `bucketMinutes` buckets, and a row per model version and action.
 */
export function oversightMetrics(
  observations: readonly DecisionObservation[],
  labels: readonly Label[],
  window: MetricsWindow,
  driftAlerts = 0,
): OversightMetrics {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const inWindow = (at: string) => {
    const time = Date.parse(at);
    return time >= from && time < to;
  };
  const decided = observations.filter((observation) => inWindow(observation.routedAt));
  const answered = labels.filter((label) => inWindow(label.answeredAt));
  const tally = answered.reduce(addLabel, emptyTally());

  // One pass over the records, each put in its bucket by arithmetic, then one fold per bucket.
  const bucketMs = window.bucketMinutes * 60_000;
  const firstBucket = Math.floor(from / bucketMs) * bucketMs;
  const buckets = Array.from({ length: Math.ceil((to - firstBucket) / bucketMs) }, (_, i) => ({
    start: firstBucket + i * bucketMs,
    decided: [] as DecisionObservation[],
    answered: [] as Label[],
  }));
  const bucketAt = (at: string) => buckets[Math.floor((Date.parse(at) - firstBucket) / bucketMs)];
  decided.forEach((observation) => bucketAt(observation.routedAt).decided.push(observation));
  answered.forEach((label) => bucketAt(label.answeredAt).answered.push(label));
  const series: SeriesPoint[] = buckets.map((bucket) => ({
    start: new Date(bucket.start).toISOString(),
    ...routingCounts(bucket.decided),
    ...ratesOf(bucket.answered.reduce(addLabel, emptyTally())),
  }));

  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    bucketMinutes: window.bucketMinutes,
    totals: {
      ...routingCounts(decided),
      ...ratesOf(tally),
      edits: editCounts(answered),
      reviewerLatency: reviewerLatency(answered),
      calibration: reliabilityOf(tally),
      driftAlerts,
    },
    series,
    byModel: modelRows(decided, answered),
  };
}

function routingCounts(observations: readonly DecisionObservation[]): RoutingCounts {
  const count = (route: DecisionObservation['route']) =>
    observations.filter((observation) => observation.route === route).length;
  const counts = {
    decisions: observations.length,
    auto: count('auto'),
    review: count('review'),
    block: count('block'),
  };
  return counts.decisions ? { ...counts, humanShare: counts.review / counts.decisions } : counts;
}

function editCounts(labels: readonly Label[]): { field: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const field of labels.flatMap((label) => label.edits ?? []))
    counts.set(field, (counts.get(field) ?? 0) + 1);
  return [...counts]
    .map(([field, count]) => ({ field, count }))
    .sort((a, b) => b.count - a.count || a.field.localeCompare(b.field));
}

/** The value at quantile q of sorted values (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function reviewerLatency(labels: readonly Label[]): ReviewerLatency {
  const minutes = labels
    .flatMap((label) => (label.latencyMinutes === undefined ? [] : [label.latencyMinutes]))
    .sort((a, b) => a - b);
  const withSla = labels.filter((label) => label.withinSla !== undefined);
  return {
    answered: minutes.length,
    ...(minutes.length ? { medianMinutes: quantile(minutes, 0.5), p90Minutes: quantile(minutes, 0.9) } : {}),
    ...(withSla.length
      ? { withinSlaShare: withSla.filter((label) => label.withinSla).length / withSla.length }
      : {}),
  };
}

function modelRows(observations: readonly DecisionObservation[], labels: readonly Label[]): ModelRow[] {
  const rows = new Map<
    string,
    { row: Omit<ModelRow, keyof OversightRates>; labels: Label[]; confidences: number[] }
  >();
  const entry = (source: Pick<ModelRow, 'modelId' | 'modelVersion' | 'businessFunction' | 'actionType'>) => {
    const key = [source.modelId, source.modelVersion, source.businessFunction, source.actionType].join(
      '\u0000',
    );
    let found = rows.get(key);
    if (!found) {
      const { modelId, modelVersion, businessFunction, actionType } = source;
      found = {
        row: { modelId, modelVersion, businessFunction, actionType, decisions: 0 },
        labels: [],
        confidences: [],
      };
      rows.set(key, found);
    }
    return found;
  };
  for (const observation of observations) {
    const found = entry(observation);
    found.row.decisions += 1;
    found.confidences.push(observation.confidence);
  }
  for (const label of labels) entry(label).labels.push(label);
  return [...rows.values()]
    .map(({ row, labels: rowLabels, confidences }) => ({
      ...row,
      ...ratesOf(rowLabels.reduce(addLabel, emptyTally())),
      ...(confidences.length
        ? { meanConfidence: confidences.reduce((sum, value) => sum + value, 0) / confidences.length }
        : {}),
    }))
    .sort(
      (a, b) =>
        a.businessFunction.localeCompare(b.businessFunction) ||
        a.actionType.localeCompare(b.actionType) ||
        a.modelId.localeCompare(b.modelId) ||
        a.modelVersion.localeCompare(b.modelVersion),
    );
}
