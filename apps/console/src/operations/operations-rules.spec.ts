import type { OperationsOverview } from '../api/types';
import {
  formatDuration,
  formatPerMinute,
  headline,
  isPrometheusUnavailable,
  slaStanding,
} from './operations-rules';

describe('operations rules', () => {
  it('writes durations the way people read them', () => {
    expect([null, 45, 720, 12_000, 3_600, 187_200].map(formatDuration)).toEqual([
      '—',
      '45 s',
      '12 min',
      '3 h 20 min',
      '1 h',
      '2 d 4 h',
    ]);
  });

  it('shows dead-letter rates per minute', () => {
    expect([0, 0.001, 0.05, 0.5].map(formatPerMinute)).toEqual(['0', '< 0.1', '3.0', '30']);
  });

  it('calls a function’s oldest task overdue past its SLA and soon from 80 % of it', () => {
    expect(slaStanding(3_700, 3_600)).toBe('overdue');
    expect(slaStanding(2_950, 3_600)).toBe('soon');
    expect(slaStanding(60, 3_600)).toBe('ok');
    expect(slaStanding(null, 3_600)).toBe('unknown');
    expect(slaStanding(60, null)).toBe('unknown');
  });

  it('sums the headline figures', () => {
    const overview: OperationsOverview = {
      at: '2026-12-02T10:00:00Z',
      lag: [
        { group: 'routing', topic: 'a', lag: 40, members: 1 },
        { group: 'audit', topic: 'b', lag: 2, members: 1 },
      ],
      deadLetters: [{ service: 's', topic: 't', reason: 'r', total: 9, perSecond: 0.5 }],
      reviews: [
        { function: 'billing', queueDepth: 3, oldestPendingAgeSeconds: 1, slaSeconds: 2, atRisk: 2 },
        { function: 'hr', queueDepth: 1, oldestPendingAgeSeconds: null, slaSeconds: null, atRisk: null },
      ],
      haltsInForce: 0,
      services: [
        { job: 'scoring', instance: 'a', up: false },
        { job: 'routing', instance: 'b', up: true },
      ],
      alerts: [
        { name: 'A', state: 'firing', severity: null, summary: null, activeAt: null, labels: {} },
        { name: 'B', state: 'pending', severity: null, summary: null, activeAt: null, labels: {} },
      ],
    };
    expect(headline(overview)).toEqual({
      servicesDown: 1,
      servicesUp: 1,
      firingAlerts: 1,
      totalLag: 42,
      reviewsAtRisk: 2,
      deadLettersPerMinute: 30,
    });
  });

  it('tells Prometheus being down from the gateway refusing', () => {
    expect(isPrometheusUnavailable({ status: 503, code: 'prometheus-unavailable' })).toBe(true);
    expect(isPrometheusUnavailable({ status: 503 })).toBe(false);
    expect(isPrometheusUnavailable({ status: 0 })).toBe(false);
  });
});
