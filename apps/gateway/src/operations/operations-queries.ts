import { LAG_EXPORTER_METRICS as LAG, PLATFORM_METRICS as M } from '@oversight/contracts';

/**
 * The fixed PromQL behind the operations view. Callers never send PromQL: each question is one of these, so a
 * caller cannot run an expensive or revealing query through the gateway.
 */
export const OPERATIONS_QUERIES = {
  /**
   * Lag per consumer group and topic (summed over partitions), as the lag exporter measures it; at least 0, since
   * a group's offset read just after the partition's end (two reads, not one) can come out one ahead.
   */
  lag: `clamp_min(sum by (group, topic) (${LAG.topicLag}), 0)`,
  /** Consumers in each group now. */
  members: `max by (group) (${LAG.members})`,
  /** Dead letters ever sent, per service, source topic and reason. */
  deadLettersTotal: `sum by (service, topic, reason) (${M.deadLetters})`,
  /** Dead letters per second over the last 5 minutes. */
  deadLettersRate: `sum by (service, topic, reason) (rate(${M.deadLetters}[5m]))`,
  /** Open review tasks per business function. */
  queueDepth: `sum by (function) (${M.reviewQueueDepth})`,
  oldestPendingAge: `max by (function) (${M.reviewOldestPendingAge})`,
  sla: `max by (function) (${M.reviewSla})`,
  slaAtRisk: `sum by (function) (${M.reviewSlaAtRisk})`,
  /** Every service that reads halts reports the same number: the highest is the one in force. */
  haltsInForce: `max(${M.haltsInForce})`,
  /** Whether Prometheus could scrape each target of each job. */
  up: 'up',
} as const;

export type OperationsQuery = keyof typeof OPERATIONS_QUERIES;
