import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

/**
 * The platform's own metrics, in prom-client's default registry (what every service's `/metrics` serves).
 * Each is created on first use and found again afterwards, so a lib loaded twice (a test, a CLI and a service in
 * one process) never registers a name twice. Labels are bounded: never a decision, user or event id.
 */
function metric<M>(name: string, create: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? create();
}

/** prom-client's process metrics (CPU, memory, event-loop lag, GC, handles), once per process. */
export function enableDefaultMetrics(): void {
  if (register.getSingleMetric('process_cpu_user_seconds_total')) return;
  collectDefaultMetrics();
}

export const TIME_TO_DECISION_BUCKETS = [
  1, 5, 15, 30, 60, 300, 900, 1800, 3600, 14400, 43200, 86400, 259200, 604800,
];
/** From a millisecond store round trip to a stalled one (the driver's socket timeout is 30 s). */
const OPERATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** The consumers' batches are at most 500 events (EventConsumer's default chunk) or a fetch's worth. */
const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];
/** Event time to stored: milliseconds when flowing, minutes or hours after an outage or a replay. */
const APPEND_DELAY_BUCKETS = [
  0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400,
];

export const platformMetrics = {
  decisionsRouted: () =>
    metric(
      'oversight_decisions_routed_total',
      () =>
        new Counter({
          name: 'oversight_decisions_routed_total',
          help: 'Decisions routed, by route (auto, review, blocked), business function and risk tier.',
          labelNames: ['route', 'function', 'tier'],
        }),
    ),
  reviewQueueDepth: () =>
    metric(
      'oversight_review_queue_depth',
      () =>
        new Gauge({
          name: 'oversight_review_queue_depth',
          help: 'Open review tasks, by business function.',
          labelNames: ['function'],
        }),
    ),
  reviewOldestPendingAge: () =>
    metric(
      'oversight_review_oldest_pending_age_seconds',
      () =>
        new Gauge({
          name: 'oversight_review_oldest_pending_age_seconds',
          help: 'Age of the oldest open review task, by business function.',
          labelNames: ['function'],
        }),
    ),
  reviewSla: () =>
    metric(
      'oversight_review_sla_seconds',
      () =>
        new Gauge({
          name: 'oversight_review_sla_seconds',
          help: "The first-response SLA the policy set on the function's open review tasks (the longest).",
          labelNames: ['function'],
        }),
    ),
  reviewSlaAtRisk: () =>
    metric(
      'oversight_review_sla_at_risk',
      () =>
        new Gauge({
          name: 'oversight_review_sla_at_risk',
          help: 'Open review tasks past 80 % of their SLA, by business function.',
          labelNames: ['function'],
        }),
    ),
  timeToDecision: () =>
    metric(
      'oversight_time_to_decision_seconds',
      () =>
        new Histogram({
          name: 'oversight_time_to_decision_seconds',
          help: 'From review requested to decided, by business function and who decided (person, timeout_default).',
          labelNames: ['function', 'decided_by'],
          buckets: TIME_TO_DECISION_BUCKETS,
        }),
    ),
  slaBreaches: () =>
    metric(
      'oversight_sla_breaches_total',
      () =>
        new Counter({
          name: 'oversight_sla_breaches_total',
          help: 'Review tasks decided after their SLA ended, by business function.',
          labelNames: ['function'],
        }),
    ),
  escalations: () =>
    metric(
      'oversight_escalations_total',
      () =>
        new Counter({
          name: 'oversight_escalations_total',
          help: 'Escalation steps taken (by the clock or by a person), by business function.',
          labelNames: ['function'],
        }),
    ),
  deadLetters: () =>
    metric(
      'oversight_dead_letters_total',
      () =>
        new Counter({
          name: 'oversight_dead_letters_total',
          help: 'Messages sent to the dead-letter topic, by service, source topic and reason.',
          labelNames: ['service', 'topic', 'reason'],
        }),
    ),
  consumerBatchDuration: () =>
    metric(
      'oversight_consumer_batch_duration_seconds',
      () =>
        new Histogram({
          name: 'oversight_consumer_batch_duration_seconds',
          help: 'Time a consumer group took to process one fetched batch.',
          labelNames: ['group'],
          buckets: OPERATION_BUCKETS,
        }),
    ),
  consumerBatchSize: () =>
    metric(
      'oversight_consumer_batch_size',
      () =>
        new Histogram({
          name: 'oversight_consumer_batch_size',
          help: 'Messages in one fetched batch, by consumer group.',
          labelNames: ['group'],
          buckets: BATCH_SIZE_BUCKETS,
        }),
    ),
  consumerOffsetLag: () =>
    metric(
      'oversight_consumer_offset_lag',
      () =>
        new Gauge({
          name: 'oversight_consumer_offset_lag',
          help: "Messages behind the partition's high watermark after this instance's last batch.",
          labelNames: ['group', 'topic', 'partition'],
        }),
    ),
  auditAppendDelay: () =>
    metric(
      'oversight_audit_append_delay_seconds',
      () =>
        new Histogram({
          name: 'oversight_audit_append_delay_seconds',
          help: "From an event's time to its entry stored in the audit trail.",
          buckets: APPEND_DELAY_BUCKETS,
        }),
    ),
  auditLastAppend: () =>
    metric(
      'oversight_audit_last_append_timestamp_seconds',
      () =>
        new Gauge({
          name: 'oversight_audit_last_append_timestamp_seconds',
          help: 'When the audit trail last stored an entry (Unix seconds).',
        }),
    ),
  storeOperationDuration: () =>
    metric(
      'oversight_store_operation_duration_seconds',
      () =>
        new Histogram({
          name: 'oversight_store_operation_duration_seconds',
          help: "Store commands' round trip, by operation and the service's collection (failed ones too).",
          labelNames: ['operation', 'collection'],
          buckets: OPERATION_BUCKETS,
        }),
    ),
  executorTries: () =>
    metric(
      'oversight_executor_tries_total',
      () =>
        new Counter({
          name: 'oversight_executor_tries_total',
          help: 'Executor tries of approved actions, by result (succeeded, failed, retried, given_up).',
          labelNames: ['result'],
        }),
    ),
  haltsInForce: () =>
    metric(
      'oversight_halts_in_force',
      () =>
        new Gauge({
          name: 'oversight_halts_in_force',
          help: 'Stop-button halts in force (a function or all of them), as this service reads them.',
          // Read at each scrape from the service's view of the halt topic (see observeHaltsInForce).
          collect() {
            safely(() => {
              if (haltsInForce) this.set(haltsInForce());
            });
          },
        }),
    ),
  driftEpisodesOpen: () =>
    metric(
      'oversight_drift_episodes_open',
      () =>
        new Gauge({
          name: 'oversight_drift_episodes_open',
          help: 'Drift episodes raised and not yet cleared, by business function.',
          labelNames: ['function'],
        }),
    ),
};

let haltsInForce: (() => number) | undefined;

/** Where `oversight_halts_in_force` reads its value: the service's view of the halt topic. */
export function observeHaltsInForce(count: () => number): void {
  haltsInForce = count;
  platformMetrics.haltsInForce();
}

/**
 * Runs a metric update so that a failing one never fails the work it describes: metrics are a diagnostic.
 * The first failure is said once per process.
 */
let warned = false;
export function safely(update: () => void): void {
  try {
    update();
  } catch (error) {
    if (!warned) console.error(`metrics: an update failed and is skipped: ${(error as Error).message}`);
    warned = true;
  }
}
