import type {
  CalibrationBucketView,
  DriftEpisode,
  MetricsBucket,
  ModelMetrics,
  OversightMetrics,
  ThresholdSuggestionView,
} from '../api/types';

// What the metrics screen shows, shaped from the gateway's answers: plain functions, no React.

/** How often the screen reloads on its own (metrics move by the minute; a Refresh button does it now). */
export const METRICS_REFRESH_MS = 10_000;

/** The windows offered, in hours: six hours to a week. */
export const WINDOW_HOURS = [6, 24, 72, 168];
/** The bucket sizes offered, in minutes. */
export const BUCKET_MINUTES = [15, 60, 360, 1440];
/** More buckets than this make a chart of slivers (and a large answer). */
const MAX_BUCKETS = 200;

/** The screen's filters; an empty string is "all". Also the query of GET /v1/oversight/metrics. */
export type MetricsFilter = {
  businessFunction: string;
  actionType: string;
  modelId: string;
  modelVersion: string;
  hours: number;
  bucketMinutes: number;
};

export const DEFAULT_FILTER: MetricsFilter = {
  businessFunction: '',
  actionType: '',
  modelId: '',
  modelVersion: '',
  hours: 24,
  bucketMinutes: 60,
};

/** The bucket sizes that cut a window into at least two buckets and at most MAX_BUCKETS. */
export function bucketChoices(hours: number): number[] {
  return BUCKET_MINUTES.filter((minutes) => {
    const buckets = (hours * 60) / minutes;
    return buckets >= 2 && buckets <= MAX_BUCKETS;
  });
}

/** A new window keeps the bucket size when it still fits, else takes the nearest size that does. */
export function withWindow(filter: MetricsFilter, hours: number): MetricsFilter {
  const choices = bucketChoices(hours);
  if (choices.includes(filter.bucketMinutes) || choices.length === 0) return { ...filter, hours };
  const distance = (minutes: number) => Math.abs(Math.log(minutes / filter.bucketMinutes));
  const nearest = choices.reduce((best, minutes) => (distance(minutes) < distance(best) ? minutes : best));
  return { ...filter, hours, bucketMinutes: nearest };
}

/** A rate (0..1) as a percentage with at most one decimal; '—' when there is none. */
export function percent(rate?: number | null): string {
  if (rate === undefined || rate === null || !Number.isFinite(rate)) return '—';
  return `${Number((rate * 100).toFixed(1))}%`;
}

/** A number with fixed decimals (confidence, thresholds, PSI, ECE); '—' when there is none. */
export function decimal(value?: number, digits = 2): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** A duration in minutes, in words a person reads at a glance. */
export function duration(minutes?: number): string {
  if (minutes === undefined || !Number.isFinite(minutes)) return '—';
  if (minutes < 1) return 'under 1 min';
  const total = Math.round(minutes);
  if (total < 60) return `${total} min`;
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** "1 decision", "3 decisions". */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-GB')} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * How a bucket's start reads on a time axis: the time of day within a day's window, the date with it over
 * longer windows, the date alone for day-long buckets. `timeZone` is the reader's unless given (tests: UTC).
 */
export function bucketLabeller(
  hours: number,
  bucketMinutes: number,
  timeZone?: string,
): (iso: string) => string {
  const options: Intl.DateTimeFormatOptions =
    bucketMinutes >= 1440
      ? { day: 'numeric', month: 'short' }
      : hours > 24
        ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  const format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
  return (iso) => format.format(new Date(iso));
}

/** One point of the rates chart. A rate is null, not 0, where the bucket has no labels: a gap in the line. */
export interface RateRow {
  start: string;
  label: string;
  labels: number;
  agreement: number | null;
  override: number | null;
  edit: number | null;
}

const rateOrGap = (labels: number, rate?: number) =>
  labels > 0 && rate !== undefined && Number.isFinite(rate) ? rate : null;

const byStart = (a: MetricsBucket, b: MetricsBucket) => Date.parse(a.start) - Date.parse(b.start);

export function rateRows(series: MetricsBucket[], label: (iso: string) => string): RateRow[] {
  return [...series].sort(byStart).map((bucket) => ({
    start: bucket.start,
    label: label(bucket.start),
    labels: bucket.labels,
    agreement: rateOrGap(bucket.labels, bucket.agreementRate),
    override: rateOrGap(bucket.labels, bucket.overrideRate),
    edit: rateOrGap(bucket.labels, bucket.editRate),
  }));
}

/** One point of the routing chart: decisions by route, and the share routed to people (null: none routed). */
export interface RoutingRow {
  start: string;
  label: string;
  decisions: number;
  auto: number;
  review: number;
  block: number;
  humanShare: number | null;
}

export function routingRows(series: MetricsBucket[], label: (iso: string) => string): RoutingRow[] {
  return [...series].sort(byStart).map((bucket) => ({
    start: bucket.start,
    label: label(bucket.start),
    decisions: bucket.decisions,
    auto: bucket.auto,
    review: bucket.review,
    block: bucket.block,
    humanShare: rateOrGap(bucket.decisions, bucket.humanShare),
  }));
}

/** Whether any bucket has a rate to draw (else the chart would be an empty frame). */
export function hasRates(rows: RateRow[]): boolean {
  return rows.some((row) => row.agreement !== null || row.override !== null || row.edit !== null);
}

export function hasRouting(rows: RoutingRow[]): boolean {
  return rows.some((row) => row.decisions > 0);
}

/** Nothing happened in the window: no decision routed and no label given. */
export function isEmpty(metrics: OversightMetrics): boolean {
  return metrics.totals.decisions === 0 && metrics.totals.labels === 0;
}

/** One bar of the reliability diagram, beside the mean confidence people's agreement should match. */
export interface CalibrationRow {
  label: string;
  from: number;
  to: number;
  labels: number;
  agreement: number;
  meanConfidence: number;
}

/** The labelled confidence buckets, lowest first (an unlabelled bucket has no agreement to draw). */
export function calibrationRows(buckets: CalibrationBucketView[]): CalibrationRow[] {
  return buckets
    .filter((bucket) => bucket.labels > 0)
    .sort((a, b) => a.from - b.from)
    .map((bucket) => ({
      label: `${bucket.from.toFixed(2)}–${bucket.to.toFixed(2)}`,
      from: bucket.from,
      to: bucket.to,
      labels: bucket.labels,
      agreement: bucket.agreementRate,
      meanConfidence: bucket.meanConfidence,
    }));
}

/** What reviewers edited, most edited first, with each field's share of all edits. */
export function editShares(
  edits: { field: string; count: number }[],
): { field: string; count: number; share: number }[] {
  const total = edits.reduce((sum, edit) => sum + edit.count, 0);
  return edits
    .filter((edit) => edit.count > 0)
    .sort((a, b) => b.count - a.count || a.field.localeCompare(b.field))
    .map((edit) => ({ ...edit, share: edit.count / total }));
}

/** Model versions most overridden first (those with no rate yet last), then those with the most labels. */
export function arrangeModels(rows: ModelMetrics[]): ModelMetrics[] {
  const override = (row: ModelMetrics) => row.overrideRate ?? -1;
  return [...rows].sort((a, b) => override(b) - override(a) || b.labels - a.labels);
}

/** Open episodes (newest detected first) apart from cleared ones (newest cleared first). */
export function splitEpisodes(episodes: DriftEpisode[]): { open: DriftEpisode[]; cleared: DriftEpisode[] } {
  const newest = (key: (episode: DriftEpisode) => string | undefined) => (a: DriftEpisode, b: DriftEpisode) =>
    Date.parse(key(b) ?? '') - Date.parse(key(a) ?? '');
  return {
    open: episodes.filter((episode) => !episode.clearedAt).sort(newest((episode) => episode.detectedAt)),
    cleared: episodes.filter((episode) => episode.clearedAt).sort(newest((episode) => episode.clearedAt)),
  };
}

/** The override rate then and now, e.g. "4% → 21%". */
export function overrideShift(episode: DriftEpisode): string {
  return `${percent(episode.baseline.overrideRate)} → ${percent(episode.current.overrideRate)}`;
}

export type SuggestionDirection = 'raise' | 'lower' | 'keep' | 'set';

/**
 * Which way a suggestion moves the threshold, and what that would have done, in words. A higher confidence
 * threshold is stricter; a higher amount threshold is looser (more amounts run on their own).
 */
export function suggestionDirection(suggestion: ThresholdSuggestionView): {
  direction: SuggestionDirection;
  words: string;
} {
  const { current, suggested, toAuto, toReview } = suggestion;
  const amount = suggestion.kind === 'amount';
  if (current === undefined) {
    return {
      direction: 'set',
      words: `no ${amount ? 'amount' : 'confidence'} threshold for auto in the policy now`,
    };
  }
  // Confidence thresholds are hundredths: compare them as such, not as floats.
  const scale = amount ? 1 : 100;
  const from = Math.round(current * scale);
  const to = Math.round(suggested * scale);
  const stricter = `stricter: ${count(toReview, 'routed decision')} would have gone to review instead of auto`;
  const looser = `looser: ${count(toAuto, 'routed decision')} would have run on their own instead of review`;
  if (to > from) return { direction: 'raise', words: amount ? looser : stricter };
  if (to < from) return { direction: 'lower', words: amount ? stricter : looser };
  return { direction: 'keep', words: 'the current threshold already meets the target' };
}

/** A threshold as its kind reads: a confidence with two decimals, an amount with its currency. */
export function thresholdValue(suggestion: ThresholdSuggestionView, value?: number): string {
  if (value === undefined) return '—';
  return suggestion.kind === 'amount'
    ? `${value.toLocaleString('en-GB')} ${suggestion.currency ?? ''}`.trim()
    : decimal(value);
}

/** The values a filter offers: those seen so far on this screen, so narrowing one filter keeps the others. */
export interface SeenOptions {
  businessFunctions: string[];
  actionTypes: string[];
  /** Each model with its versions. */
  models: Record<string, string[]>;
}

export const NOTHING_SEEN: SeenOptions = { businessFunctions: [], actionTypes: [], models: {} };

const sorted = (values: Iterable<string>) =>
  [...new Set(values)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

/** Adds what an answer names (model rows, drift episodes, suggestions) to the values seen. */
export function withSeen(
  seen: SeenOptions,
  rows: { businessFunction?: string; actionType?: string; modelId?: string; modelVersion?: string }[],
): SeenOptions {
  const models: Record<string, string[]> = { ...seen.models };
  for (const row of rows) {
    if (!row.modelId) continue;
    models[row.modelId] = sorted([
      ...(models[row.modelId] ?? []),
      ...(row.modelVersion ? [row.modelVersion] : []),
    ]);
  }
  const present = (values: (string | undefined)[]) =>
    values.filter((value): value is string => Boolean(value));
  return {
    businessFunctions: sorted([
      ...seen.businessFunctions,
      ...present(rows.map((row) => row.businessFunction)),
    ]),
    actionTypes: sorted([...seen.actionTypes, ...present(rows.map((row) => row.actionType))]),
    models,
  };
}
