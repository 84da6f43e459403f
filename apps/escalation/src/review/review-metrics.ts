import { ReviewActivity } from '@oversight/contracts';
import { isDecided, ReviewTask, TERMINAL_STATUSES } from './review-task';

/** Share of its SLA after which an open task counts as at risk (the SLA warning fires there too). */
export const AT_RISK_SHARE = 0.8;

/** What one accepted act means for the counters: escalations taken, and the decision if it made one. */
export interface ActMetrics {
  businessFunction: string;
  escalations: number;
  decision?: {
    decidedBy: 'person' | 'timeout_default';
    /** From review requested to decided. */
    seconds: number;
    /** Decided after the SLA (the first-response deadline) ended. */
    breachedSla: boolean;
  };
}

/** The metrics of an act that took `before` to `after` with these activities. */
export function actMetricsOf(
  before: ReviewTask,
  after: ReviewTask,
  activities: ReviewActivity[],
): ActMetrics {
  const businessFunction = after.proposal.businessFunction;
  const escalations = activities.filter((a) => a.act === 'escalated').length;
  if (isDecided(before) || !isDecided(after)) return { businessFunction, escalations };
  const decidedAt = after.decidedAt ?? new Date();
  return {
    businessFunction,
    escalations,
    decision: {
      decidedBy: after.status === 'expired' ? 'timeout_default' : 'person',
      seconds: Math.max(0, (decidedAt.getTime() - after.requestedAt.getTime()) / 1000),
      breachedSla: decidedAt > after.dueAt,
    },
  };
}

/** An open task's head, as the queue gauges read it. */
export interface OpenTaskHead {
  businessFunction: string;
  status: string;
  dueAt: Date;
  requestedAt?: Date;
}

export interface QueueGauges {
  depth: number;
  /** 0 when no open task says when it was requested (heads written before they kept it). */
  oldestPendingAgeSeconds: number;
  /** The longest first-response SLA among the open tasks. */
  slaSeconds: number;
  atRisk: number;
}

/** The queue gauges per business function, from the open tasks' heads at `now`. */
export function queueGaugesOf(heads: OpenTaskHead[], now: Date): Map<string, QueueGauges> {
  const gauges = new Map<string, QueueGauges>();
  for (const head of heads) {
    if ((TERMINAL_STATUSES as readonly string[]).includes(head.status)) continue;
    const g = gauges.get(head.businessFunction) ?? {
      depth: 0,
      oldestPendingAgeSeconds: 0,
      slaSeconds: 0,
      atRisk: 0,
    };
    g.depth += 1;
    if (head.requestedAt) {
      const age = Math.max(0, (now.getTime() - head.requestedAt.getTime()) / 1000);
      // Whole seconds: the deadline comes from routing's clock and the request time from the event, ms apart.
      const sla = Math.max(0, Math.round((head.dueAt.getTime() - head.requestedAt.getTime()) / 1000));
      g.oldestPendingAgeSeconds = Math.max(g.oldestPendingAgeSeconds, age);
      g.slaSeconds = Math.max(g.slaSeconds, sla);
      if (age >= sla * AT_RISK_SHARE) g.atRisk += 1;
    } else if (head.dueAt <= now) {
      g.atRisk += 1;
    }
    gauges.set(head.businessFunction, g);
  }
  return gauges;
}
