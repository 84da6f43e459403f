import { platformMetrics, safely } from '@oversight/observability';

/** Seconds from each event's time to `storedAt`: never negative (a producer's clock may run ahead). */
export function appendDelaysOf(occurredAt: string[], storedAt: Date): number[] {
  return occurredAt
    .map((at) => (storedAt.getTime() - Date.parse(at)) / 1000)
    .filter((delay) => Number.isFinite(delay))
    .map((delay) => Math.max(0, delay));
}

/**
 * Records a batch appended to the trail. The delays are observed only when every event was new: a redelivered
 * batch (some already stored) would count an old event's age as the trail's delay.
 */
export function recordAppend(occurredAt: string[], result: { stored: number }, storedAt = new Date()): void {
  safely(() => {
    if (result.stored === 0) return;
    platformMetrics.auditLastAppend().set(storedAt.getTime() / 1000);
    if (result.stored !== occurredAt.length) return;
    const delays = platformMetrics.auditAppendDelay();
    appendDelaysOf(occurredAt, storedAt).forEach((delay) => delays.observe(delay));
  });
}
