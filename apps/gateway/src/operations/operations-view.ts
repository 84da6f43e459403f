import type { OperationsQuery } from './operations-queries';

/** One sample of an instant vector from Prometheus's /api/v1/query: its labels and value (a decimal string). */
export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** One alert from Prometheus's /api/v1/alerts. */
export interface PromAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  state: string;
  activeAt?: string;
  value?: string;
}

export interface ConsumerLagRow {
  group: string;
  topic: string;
  /** Messages behind, summed over the topic's partitions. */
  lag: number;
  /** Consumers in the group now; null when the exporter does not report the group. */
  members: number | null;
}

export interface DeadLetterRow {
  service: string;
  topic: string;
  reason: string;
  total: number;
  /** Per second over the last 5 minutes. */
  perSecond: number;
}

export interface ReviewFunctionRow {
  function: string;
  queueDepth: number | null;
  oldestPendingAgeSeconds: number | null;
  slaSeconds: number | null;
  atRisk: number | null;
}

export interface ServiceHealthRow {
  job: string;
  instance: string;
  up: boolean;
}

export interface FiringAlert {
  name: string;
  state: string;
  severity: string | null;
  summary: string | null;
  activeAt: string | null;
  labels: Record<string, string>;
}

/** What the operations screen shows, from Prometheus at one moment. */
export interface OperationsOverview {
  at: string;
  lag: ConsumerLagRow[];
  deadLetters: DeadLetterRow[];
  reviews: ReviewFunctionRow[];
  /** Halts in force (functions or `*`); null when no service reports it yet. */
  haltsInForce: number | null;
  services: ServiceHealthRow[];
  alerts: FiringAlert[];
}

/** Each fixed query's answer (OPERATIONS_QUERIES). */
export type OverviewSamples = Record<OperationsQuery, PromSample[]>;

/** Prometheus writes values as strings, NaN and ±Inf included; those are not numbers a table can show. */
export function sampleValue(sample: PromSample): number | null {
  const value = Number(sample.value[1]);
  return Number.isFinite(value) ? value : null;
}

const label = (sample: PromSample, name: string) => sample.metric[name] ?? '';

function byLabels(samples: PromSample[], names: string[]): Map<string, number | null> {
  return new Map(samples.map((s) => [names.map((n) => label(s, n)).join('\u0000'), sampleValue(s)]));
}

const compare =
  (...keys: string[]) =>
  (a: object, b: object) => {
    for (const key of keys) {
      const order = String((a as Record<string, unknown>)[key]).localeCompare(
        String((b as Record<string, unknown>)[key]),
      );
      if (order) return order;
    }
    return 0;
  };

/** Shapes Prometheus's answers into the operations overview: one row per thing, in a stable order. */
export function operationsOverview(
  samples: OverviewSamples,
  alerts: PromAlert[],
  at: Date,
): OperationsOverview {
  const members = byLabels(samples.members, ['group']);
  const lag = samples.lag
    .map((s) => ({
      group: label(s, 'group'),
      topic: label(s, 'topic'),
      lag: sampleValue(s) ?? 0,
      members: members.get(label(s, 'group')) ?? null,
    }))
    // The most behind first: that is where to look.
    .sort((a, b) => b.lag - a.lag || compare('group', 'topic')(a, b));

  const rates = byLabels(samples.deadLettersRate, ['service', 'topic', 'reason']);
  const deadLetters = samples.deadLettersTotal
    .map((s) => ({
      service: label(s, 'service'),
      topic: label(s, 'topic'),
      reason: label(s, 'reason'),
      total: sampleValue(s) ?? 0,
      perSecond: rates.get([label(s, 'service'), label(s, 'topic'), label(s, 'reason')].join('\u0000')) ?? 0,
    }))
    .sort(
      (a, b) => b.perSecond - a.perSecond || b.total - a.total || compare('service', 'topic', 'reason')(a, b),
    );

  const perFunction = {
    queueDepth: byLabels(samples.queueDepth, ['function']),
    oldestPendingAgeSeconds: byLabels(samples.oldestPendingAge, ['function']),
    slaSeconds: byLabels(samples.sla, ['function']),
    atRisk: byLabels(samples.slaAtRisk, ['function']),
  };
  const functions = new Set(Object.values(perFunction).flatMap((values) => [...values.keys()]));
  const reviews = [...functions]
    .map((name) => ({
      function: name,
      queueDepth: perFunction.queueDepth.get(name) ?? null,
      oldestPendingAgeSeconds: perFunction.oldestPendingAgeSeconds.get(name) ?? null,
      slaSeconds: perFunction.slaSeconds.get(name) ?? null,
      atRisk: perFunction.atRisk.get(name) ?? null,
    }))
    .sort((a, b) => (b.atRisk ?? 0) - (a.atRisk ?? 0) || a.function.localeCompare(b.function));

  const services = samples.up
    .map((s) => ({ job: label(s, 'job'), instance: label(s, 'instance'), up: sampleValue(s) === 1 }))
    // Down first.
    .sort((a, b) => Number(a.up) - Number(b.up) || compare('job', 'instance')(a, b));

  return {
    at: at.toISOString(),
    lag,
    deadLetters,
    reviews,
    haltsInForce: samples.haltsInForce.length ? sampleValue(samples.haltsInForce[0]) : null,
    services,
    alerts: alerts
      .filter((alert) => alert.state === 'firing' || alert.state === 'pending')
      .map((alert) => ({
        name: alert.labels.alertname ?? '',
        state: alert.state,
        severity: alert.labels.severity ?? null,
        summary: alert.annotations?.summary ?? alert.annotations?.description ?? null,
        activeAt: alert.activeAt ?? null,
        labels: alert.labels,
      }))
      .sort((a, b) => compare('state', 'name')(a, b)),
  };
}
