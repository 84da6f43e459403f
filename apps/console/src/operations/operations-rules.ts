import type { OperationsOverview } from '../api/types';

/** A duration as people read it: 45 s, 12 min, 3 h 20 min, 2 d 4 h. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3_600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) {
    const minutes = Math.floor((s % 3_600) / 60);
    return `${Math.floor(s / 3_600)} h${minutes ? ` ${minutes} min` : ''}`;
  }
  const hours = Math.floor((s % 86_400) / 3_600);
  return `${Math.floor(s / 86_400)} d${hours ? ` ${hours} h` : ''}`;
}

/** A rate per second as per minute, which is how often dead letters come in an incident. */
export function formatPerMinute(perSecond: number): string {
  const perMinute = perSecond * 60;
  if (perMinute === 0) return '0';
  return perMinute < 0.1 ? '< 0.1' : perMinute.toFixed(perMinute < 10 ? 1 : 0);
}

export type SlaStanding = 'ok' | 'soon' | 'overdue' | 'unknown';

/**
 * How close a function's oldest open task is to its SLA: past it is overdue, from 80 % on (the same line as
 * the at-risk count) it is soon.
 */
export function slaStanding(oldestSeconds: number | null, slaSeconds: number | null): SlaStanding {
  if (oldestSeconds === null || slaSeconds === null || slaSeconds <= 0) return 'unknown';
  const share = oldestSeconds / slaSeconds;
  return share >= 1 ? 'overdue' : share >= 0.8 ? 'soon' : 'ok';
}

/** The headline figures above the tables. */
export function headline(overview: OperationsOverview) {
  return {
    servicesDown: overview.services.filter((service) => !service.up).length,
    servicesUp: overview.services.filter((service) => service.up).length,
    firingAlerts: overview.alerts.filter((alert) => alert.state === 'firing').length,
    totalLag: overview.lag.reduce((sum, row) => sum + row.lag, 0),
    reviewsAtRisk: overview.reviews.reduce((sum, row) => sum + (row.atRisk ?? 0), 0),
    deadLettersPerMinute: overview.deadLetters.reduce((sum, row) => sum + row.perSecond, 0) * 60,
  };
}

/** Whether an error from the overview means Prometheus (not the gateway) is what cannot be reached. */
export function isPrometheusUnavailable(error: { status: number; code?: string }): boolean {
  return error.status === 503 && error.code === 'prometheus-unavailable';
}
