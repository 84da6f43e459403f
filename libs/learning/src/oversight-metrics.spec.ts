import { DecisionObservation } from './decision-observation';
import { Label } from './labels';
import { oversightMetrics } from './oversight-metrics';
import { Verdict } from './oversight-tally';

const observation = (
  at: string,
  route: DecisionObservation['route'],
  confidence = 0.9,
  modelVersion = 'v1',
): DecisionObservation => ({
  decisionId: `dec-${at}-${route}`,
  businessFunction: 'telecom-billing',
  actionType: 'refund',
  modelId: 'gpt-ops',
  modelVersion,
  confidence,
  route,
  tier: 'low',
  routedAt: at,
  parameters: {},
});
const label = (at: string, verdict: Verdict, extra: Partial<Label> = {}): Label => ({
  decisionId: `dec-${at}-${verdict}`,
  modelId: 'gpt-ops',
  modelVersion: 'v1',
  businessFunction: 'telecom-billing',
  actionType: 'refund',
  confidence: 0.75,
  verdict,
  source: 'review',
  answeredAt: at,
  ...extra,
});
const window = {
  from: new Date('2026-11-27T09:00:00Z'),
  to: new Date('2026-11-27T11:00:00Z'),
  bucketMinutes: 60,
};

describe('oversightMetrics', () => {
  const observations = [
    observation('2026-11-27T09:10:00Z', 'auto'),
    observation('2026-11-27T09:20:00Z', 'review', 0.7),
    observation('2026-11-27T10:10:00Z', 'review', 0.6, 'v2'),
    observation('2026-11-27T10:20:00Z', 'block', 0.5, 'v2'),
    observation('2026-11-27T08:59:59Z', 'auto'), // before the window
  ];
  const labels = [
    label('2026-11-27T09:30:00Z', 'agreed', { latencyMinutes: 10, withinSla: true }),
    label('2026-11-27T10:30:00Z', 'overridden', { latencyMinutes: 30, withinSla: true }),
    label('2026-11-27T10:40:00Z', 'edited', {
      edits: ['amount', 'accountId'],
      latencyMinutes: 90,
      withinSla: false,
    }),
    label('2026-11-27T10:50:00Z', 'edited', { edits: ['amount'], source: 'resolution' }),
  ];
  const metrics = oversightMetrics(observations, labels, window, 2);

  it('counts routing in the window and the share sent to people', () => {
    expect(metrics.totals).toMatchObject({
      decisions: 4,
      auto: 1,
      review: 2,
      block: 1,
      humanShare: 0.5,
      driftAlerts: 2,
    });
  });

  it('rates the answers and lists what was edited, most often first', () => {
    expect(metrics.totals).toMatchObject({
      labels: 4,
      agreementRate: 0.25,
      overrideRate: 0.25,
      editRate: 0.5,
    });
    expect(metrics.totals.edits).toEqual([
      { field: 'amount', count: 2 },
      { field: 'accountId', count: 1 },
    ]);
  });

  it("measures reviewers' latency against the SLA", () => {
    expect(metrics.totals.reviewerLatency).toEqual({
      answered: 3,
      medianMinutes: 30,
      p90Minutes: 90,
      withinSlaShare: 2 / 3,
    });
  });

  it('calibrates confidence against agreement', () => {
    expect(metrics.totals.calibration.buckets).toEqual([
      { from: 0.7, to: 0.8, labels: 4, meanConfidence: 0.75, agreementRate: 0.25 },
    ]);
    expect(metrics.totals.calibration.expectedCalibrationError).toBeCloseTo(0.5, 10);
  });

  it('gives one point per bucket, empty buckets included', () => {
    expect(metrics.series).toEqual([
      {
        start: '2026-11-27T09:00:00.000Z',
        decisions: 2,
        auto: 1,
        review: 1,
        block: 0,
        humanShare: 0.5,
        labels: 1,
        agreementRate: 1,
        overrideRate: 0,
        editRate: 0,
      },
      {
        start: '2026-11-27T10:00:00.000Z',
        decisions: 2,
        auto: 0,
        review: 1,
        block: 1,
        humanShare: 0.5,
        labels: 3,
        agreementRate: 0,
        overrideRate: 1 / 3,
        editRate: 2 / 3,
      },
    ]);
    expect(
      oversightMetrics([], [], { ...window, bucketMinutes: 30 }).series.map((point) => point.decisions),
    ).toEqual([0, 0, 0, 0]);
  });

  it('keeps a row per model version', () => {
    expect(metrics.byModel.map((row) => [row.modelVersion, row.decisions, row.labels])).toEqual([
      ['v1', 2, 4],
      ['v2', 2, 0],
    ]);
    expect(metrics.byModel[1].meanConfidence).toBeCloseTo(0.55, 10);
  });

  it('has no rates without answers', () => {
    const empty = oversightMetrics([], [], window);
    expect(empty.totals).toMatchObject({ decisions: 0, labels: 0, reviewerLatency: { answered: 0 } });
    expect(empty.totals.overrideRate).toBeUndefined();
    expect(empty.totals.humanShare).toBeUndefined();
  });
});
