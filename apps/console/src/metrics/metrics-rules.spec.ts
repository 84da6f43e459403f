import type { DriftEpisode, MetricsBucket, ModelMetrics, ThresholdSuggestionView } from '../api/types';
import {
  arrangeModels,
  bucketChoices,
  bucketLabeller,
  calibrationRows,
  DEFAULT_FILTER,
  decimal,
  duration,
  editShares,
  hasRates,
  hasRouting,
  NOTHING_SEEN,
  overrideShift,
  percent,
  rateRows,
  routingRows,
  splitEpisodes,
  suggestionDirection,
  thresholdValue,
  withSeen,
  withWindow,
} from './metrics-rules';

const bucket = (start: string, fields: Partial<MetricsBucket> = {}): MetricsBucket => ({
  start,
  decisions: 0,
  auto: 0,
  review: 0,
  block: 0,
  labels: 0,
  ...fields,
});

const episode = (fn: string, fields: Partial<DriftEpisode> = {}): DriftEpisode => ({
  businessFunction: fn,
  episode: 1,
  detectedAt: '2026-11-27T09:00:00Z',
  reasons: ['override rate rose'],
  baseline: { labels: 100, overrideRate: 0.04 },
  current: { labels: 30, overrideRate: 0.2 },
  tightened: true,
  ...fields,
});

describe('numbers as the screen writes them', () => {
  it.each([
    [0.5, '50%'],
    [0.1234, '12.3%'],
    [1, '100%'],
    [0, '0%'],
    [0.00049, '0%'],
    [0.9999, '100%'],
    [undefined, '—'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('rate %p reads %s', (rate, text) => expect(percent(rate)).toBe(text));

  it.each([
    [undefined, '—'],
    [0.4, 'under 1 min'],
    [12.4, '12 min'],
    [59.6, '1 h'],
    [90, '1 h 30 min'],
    [1500, '25 h'],
  ])('%p minutes read %s', (minutes, text) => expect(duration(minutes)).toBe(text));

  it.each([
    [0.0321, 2, '0.03'],
    [0.31, 2, '0.31'],
    [0.8, 2, '0.80'],
    [undefined, 2, '—'],
  ])('%p to %p places reads %s', (value, digits, text) => expect(decimal(value, digits)).toBe(text));
});

describe('window and bucket size', () => {
  it.each([
    [6, [15, 60]],
    [24, [15, 60, 360]],
    [72, [60, 360, 1440]],
    [168, [60, 360, 1440]],
  ])('a %p-hour window offers buckets of %p minutes', (hours, choices) =>
    expect(bucketChoices(hours)).toEqual(choices),
  );

  it.each([
    ['keeps a size that still fits', 24, 60, 72, 60],
    ['takes the nearest size when it no longer fits (6 h buckets in 6 h)', 24, 360, 6, 60],
    ['takes the nearest size when there would be too many buckets', 6, 15, 168, 60],
    ['day buckets in a 6-hour window become hours', 72, 1440, 6, 60],
  ])('%s', (_name, hours, bucketMinutes, nextHours, expected) => {
    const next = withWindow({ ...DEFAULT_FILTER, hours, bucketMinutes }, nextHours);
    expect(next).toEqual({ ...DEFAULT_FILTER, hours: nextHours, bucketMinutes: expected });
  });

  it.each([
    ['time of day within a day', 24, 60, '09:00'],
    ['date and time over longer windows', 72, 60, '27 Nov, 09:00'],
    ['date alone for day buckets', 168, 1440, '27 Nov'],
  ])('bucket labels: %s', (_name, hours, minutes, label) =>
    expect(bucketLabeller(hours, minutes, 'UTC')('2026-11-27T09:00:00Z')).toBe(label),
  );
});

describe('series into chart rows', () => {
  const label = (iso: string) => iso.slice(11, 16);
  const series = [
    bucket('2026-11-27T10:00:00Z', { labels: 0, decisions: 3, auto: 3 }),
    bucket('2026-11-27T09:00:00Z', {
      labels: 4,
      agreementRate: 0.5,
      overrideRate: 0.25,
      editRate: 0.25,
      decisions: 10,
      auto: 6,
      review: 3,
      block: 1,
      humanShare: 0.3,
    }),
    bucket('2026-11-27T11:00:00Z', { labels: 2, agreementRate: 1, overrideRate: 0 }),
  ];

  it('orders buckets by time and leaves a gap (null, not 0) where there are no labels or no rate', () => {
    expect(rateRows(series, label)).toEqual([
      {
        start: '2026-11-27T09:00:00Z',
        label: '09:00',
        labels: 4,
        agreement: 0.5,
        override: 0.25,
        edit: 0.25,
      },
      {
        start: '2026-11-27T10:00:00Z',
        label: '10:00',
        labels: 0,
        agreement: null,
        override: null,
        edit: null,
      },
      { start: '2026-11-27T11:00:00Z', label: '11:00', labels: 2, agreement: 1, override: 0, edit: null },
    ]);
  });

  it('gives the routes per bucket and the human share only where decisions were routed', () => {
    expect(
      routingRows(series, label).map((row) => [row.label, row.auto, row.review, row.block, row.humanShare]),
    ).toEqual([
      ['09:00', 6, 3, 1, 0.3],
      ['10:00', 3, 0, 0, null],
      ['11:00', 0, 0, 0, null],
    ]);
  });

  it.each([
    ['no buckets', false, false, []],
    ['buckets without labels or decisions', false, false, [bucket('2026-11-27T09:00:00Z')]],
    ['decisions but no labels yet', false, true, [bucket('2026-11-27T09:00:00Z', { decisions: 2, auto: 2 })]],
    ['labels', true, true, series],
  ])('%s: rates to draw %p, routes to draw %p', (_name, rates, routes, buckets) => {
    expect(hasRates(rateRows(buckets, label))).toBe(rates);
    expect(hasRouting(routingRows(buckets, label))).toBe(routes);
  });
});

describe('the reliability diagram', () => {
  it('draws the labelled confidence buckets, lowest first', () => {
    expect(
      calibrationRows([
        { from: 0.9, to: 1, labels: 20, meanConfidence: 0.95, agreementRate: 0.8 },
        { from: 0.5, to: 0.6, labels: 0, meanConfidence: 0, agreementRate: 0 },
        { from: 0.8, to: 0.9, labels: 5, meanConfidence: 0.84, agreementRate: 0.6 },
      ]),
    ).toEqual([
      { label: '0.80–0.90', from: 0.8, to: 0.9, labels: 5, agreement: 0.6, meanConfidence: 0.84 },
      { label: '0.90–1.00', from: 0.9, to: 1, labels: 20, agreement: 0.8, meanConfidence: 0.95 },
    ]);
  });
});

describe('what reviewers edited', () => {
  it('lists the most edited field first with its share, and leaves out fields never edited', () => {
    expect(
      editShares([
        { field: 'reason', count: 1 },
        { field: 'amount', count: 3 },
        { field: 'currency', count: 0 },
        { field: 'account', count: 1 },
      ]),
    ).toEqual([
      { field: 'amount', count: 3, share: 0.6 },
      { field: 'account', count: 1, share: 0.2 },
      { field: 'reason', count: 1, share: 0.2 },
    ]);
  });

  it('is empty when nothing was edited', () => {
    expect(editShares([{ field: 'amount', count: 0 }])).toEqual([]);
  });
});

describe('the model table', () => {
  const model = (version: string, labels: number, overrideRate?: number): ModelMetrics => ({
    modelId: 'refund-agent',
    modelVersion: version,
    businessFunction: 'telecom-billing',
    actionType: 'refund',
    labels,
    overrideRate,
  });

  it('puts the most overridden first, then the most labelled, and those without a rate last', () => {
    const rows = [model('1', 50, 0.1), model('2', 0), model('3', 10, 0.3), model('4', 80, 0.1)];
    expect(arrangeModels(rows).map((row) => row.modelVersion)).toEqual(['3', '4', '1', '2']);
  });
});

describe('drift episodes', () => {
  it('shows open episodes apart from cleared ones, newest first', () => {
    const { open, cleared } = splitEpisodes([
      episode('a', { detectedAt: '2026-11-27T08:00:00Z' }),
      episode('b', { clearedAt: '2026-11-27T07:00:00Z', clearedBy: 'sue', clearReason: 'new model' }),
      episode('c', { detectedAt: '2026-11-27T09:30:00Z' }),
      episode('d', { clearedAt: '2026-11-27T08:30:00Z' }),
    ]);
    expect(open.map((e) => e.businessFunction)).toEqual(['c', 'a']);
    expect(cleared.map((e) => e.businessFunction)).toEqual(['d', 'b']);
  });

  it.each([
    [{ overrideRate: 0.04 }, { overrideRate: 0.2 }, '4% → 20%'],
    [{}, { overrideRate: 0.125 }, '— → 12.5%'],
  ])('override rate %j then, %j now reads %s', (baseline, current, text) => {
    expect(
      overrideShift(
        episode('a', { baseline: { labels: 1, ...baseline }, current: { labels: 1, ...current } }),
      ),
    ).toBe(text);
  });
});

describe('threshold suggestions in words', () => {
  const suggestion = (fields: Partial<ThresholdSuggestionView>): ThresholdSuggestionView => ({
    businessFunction: 'telecom-billing',
    actionType: 'refund',
    policy: { policyId: 'ref', version: 3 },
    current: 0.8,
    suggested: 0.8,
    targetOverrideRate: 0.05,
    toAuto: 0,
    toReview: 0,
    labels: 40,
    change: '',
    ...fields,
  });

  it.each([
    [
      'raised',
      { suggested: 0.92, toReview: 7 },
      'raise',
      'stricter: 7 routed decisions would have gone to review instead of auto',
    ],
    [
      'lowered',
      { suggested: 0.7, toAuto: 1 },
      'lower',
      'looser: 1 routed decision would have run on their own instead of review',
    ],
    [
      'kept (float noise is no change)',
      { current: 0.7, suggested: 0.1 * 7 },
      'keep',
      'the current threshold already meets the target',
    ],
    [
      'set where there is none',
      { current: undefined, suggested: 0.9 },
      'set',
      'no confidence threshold for auto in the policy now',
    ],
    [
      'an amount raised (looser)',
      { kind: 'amount' as const, current: 200, suggested: 400, toAuto: 3 },
      'raise',
      'looser: 3 routed decisions would have run on their own instead of review',
    ],
    [
      'an amount lowered (stricter)',
      { kind: 'amount' as const, current: 200, suggested: 80, toReview: 2 },
      'lower',
      'stricter: 2 routed decisions would have gone to review instead of auto',
    ],
  ])('%s', (_name, fields, direction, words) => {
    expect(suggestionDirection(suggestion(fields))).toEqual({ direction, words });
  });

  it.each([
    [{ suggested: 0.9 }, 0.86, '0.86'],
    [{ kind: 'amount' as const, currency: 'USD', suggested: 400 }, 12000, '12,000 USD'],
    [{ suggested: 0.9 }, undefined, '—'],
  ])('writes the threshold %j %s as %s', (fields, value, text) => {
    expect(thresholdValue(suggestion(fields), value)).toBe(text);
  });
});

describe('filter options', () => {
  it('gathers what the answers name, once each, in order, versions under their model', () => {
    const seen = withSeen(NOTHING_SEEN, [
      {
        businessFunction: 'telecom-billing',
        actionType: 'refund',
        modelId: 'refund-agent',
        modelVersion: '10',
      },
      {
        businessFunction: 'construction-safety',
        actionType: 'stop-work',
        modelId: 'site-agent',
        modelVersion: '1',
      },
    ]);
    const more = withSeen(seen, [
      {
        businessFunction: 'telecom-billing',
        actionType: 'refund',
        modelId: 'refund-agent',
        modelVersion: '9',
      },
      { businessFunction: 'procurement' },
    ]);
    expect(more).toEqual({
      businessFunctions: ['construction-safety', 'procurement', 'telecom-billing'],
      actionTypes: ['refund', 'stop-work'],
      models: { 'refund-agent': ['9', '10'], 'site-agent': ['1'] },
    });
  });
});
