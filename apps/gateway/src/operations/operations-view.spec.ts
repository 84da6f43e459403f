import { operationsOverview, OverviewSamples, PromSample } from './operations-view';

const at = new Date('2026-12-02T10:00:00Z');
const sample = (metric: Record<string, string>, value: string): PromSample => ({ metric, value: [1, value] });
const none: OverviewSamples = {
  lag: [],
  members: [],
  deadLettersTotal: [],
  deadLettersRate: [],
  queueDepth: [],
  oldestPendingAge: [],
  sla: [],
  slaAtRisk: [],
  haltsInForce: [],
  up: [],
};

describe('operationsOverview', () => {
  it('lists lag per group and topic, the most behind first, with the group’s members', () => {
    const overview = operationsOverview(
      {
        ...none,
        lag: [
          sample({ group: 'audit', topic: 'decision.scored' }, '3'),
          sample({ group: 'routing', topic: 'decision.scored' }, '120'),
        ],
        members: [sample({ group: 'routing' }, '2')],
      },
      [],
      at,
    );
    expect(overview.lag).toEqual([
      { group: 'routing', topic: 'decision.scored', lag: 120, members: 2 },
      { group: 'audit', topic: 'decision.scored', lag: 3, members: null },
    ]);
  });

  it('joins dead letters’ totals to their recent rate, the busiest reason first', () => {
    const key = { service: 'routing', topic: 'decision.scored', reason: 'invalid-event' };
    const other = { service: 'audit', topic: 'decision.routed', reason: 'store-failure' };
    const overview = operationsOverview(
      {
        ...none,
        deadLettersTotal: [sample(other, '40'), sample(key, '7')],
        deadLettersRate: [sample(key, '0.5'), sample(other, '0')],
      },
      [],
      at,
    );
    expect(overview.deadLetters).toEqual([
      { ...key, total: 7, perSecond: 0.5 },
      { ...other, total: 40, perSecond: 0 },
    ]);
  });

  it('puts each function’s queue, oldest age, SLA and at-risk count on one row, at risk first', () => {
    const overview = operationsOverview(
      {
        ...none,
        queueDepth: [sample({ function: 'billing' }, '4'), sample({ function: 'contracts' }, '1')],
        oldestPendingAge: [sample({ function: 'billing' }, '90')],
        sla: [sample({ function: 'billing' }, '3600'), sample({ function: 'contracts' }, '900')],
        slaAtRisk: [sample({ function: 'contracts' }, '1'), sample({ function: 'billing' }, '0')],
      },
      [],
      at,
    );
    expect(overview.reviews).toEqual([
      { function: 'contracts', queueDepth: 1, oldestPendingAgeSeconds: null, slaSeconds: 900, atRisk: 1 },
      { function: 'billing', queueDepth: 4, oldestPendingAgeSeconds: 90, slaSeconds: 3600, atRisk: 0 },
    ]);
  });

  it('shows targets that are down first, and halts in force when a service reports them', () => {
    const overview = operationsOverview(
      {
        ...none,
        up: [
          sample({ job: 'scoring', instance: '127.0.0.1:9464' }, '1'),
          sample({ job: 'audit', instance: '127.0.0.1:9467' }, '0'),
        ],
        haltsInForce: [sample({}, '2')],
      },
      [],
      at,
    );
    expect(overview.services).toEqual([
      { job: 'audit', instance: '127.0.0.1:9467', up: false },
      { job: 'scoring', instance: '127.0.0.1:9464', up: true },
    ]);
    expect(overview.haltsInForce).toBe(2);
    expect(operationsOverview(none, [], at).haltsInForce).toBeNull();
  });

  it('keeps firing and pending alerts with their severity and summary, and drops inactive ones', () => {
    const overview = operationsOverview(
      none,
      [
        {
          labels: { alertname: 'ReviewSlaAtRisk', severity: 'page', function: 'billing' },
          annotations: { summary: 'billing reviews near their SLA' },
          state: 'firing',
          activeAt: '2026-12-02T09:58:00Z',
        },
        { labels: { alertname: 'Quiet' }, state: 'inactive' },
      ],
      at,
    );
    expect(overview.alerts).toEqual([
      {
        name: 'ReviewSlaAtRisk',
        state: 'firing',
        severity: 'page',
        summary: 'billing reviews near their SLA',
        activeAt: '2026-12-02T09:58:00Z',
        labels: { alertname: 'ReviewSlaAtRisk', severity: 'page', function: 'billing' },
      },
    ]);
  });

  it('shows NaN and infinite values as unknown rather than as numbers', () => {
    const overview = operationsOverview(
      {
        ...none,
        oldestPendingAge: [sample({ function: 'billing' }, 'NaN')],
        sla: [sample({ function: 'billing' }, '+Inf')],
      },
      [],
      at,
    );
    expect(overview.reviews[0]).toMatchObject({ oldestPendingAgeSeconds: null, slaSeconds: null });
    expect(overview.at).toBe('2026-12-02T10:00:00.000Z');
  });
});
