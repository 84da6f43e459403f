import { performance } from 'node:perf_hooks';

/**
 * Monotonic milliseconds, for intervals measured inside the bench (throughput, end-to-end latency): the wall
 * clock can be slewed by NTP during a run of several minutes. Comparisons with timestamps other processes wrote
 * (an event's occurredAt, an audit record's recordedAt) use Date.now(), the clock those processes read.
 */
export const monoNow = (): number => performance.now();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Summary {
  count: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of sorted values: p99 of 100 samples is the 99th, never an interpolation. */
function nearestRank(sorted: number[], percentile: number): number {
  const rank = Math.ceil((percentile / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(values: number[]): Summary {
  if (values.length === 0) return { count: 0, min: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: round(sorted[0]),
    p50: round(nearestRank(sorted, 50)),
    p95: round(nearestRank(sorted, 95)),
    p99: round(nearestRank(sorted, 99)),
    max: round(sorted[sorted.length - 1]),
    mean: round(sorted.reduce((sum, v) => sum + v, 0) / sorted.length),
  };
}

/** Two decimals: sub-millisecond detail matters for the broker hop, more is noise. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
