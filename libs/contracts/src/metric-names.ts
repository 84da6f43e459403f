/**
 * The Prometheus names the dashboards (deploy/grafana) and the gateway's operations view query: the platform's
 * own metrics (prom-client, one set of names every service shares) and those of the Kafka lag exporter (the
 * OpenTelemetry Collector's kafkametricsreceiver through its prometheusexporter). One place, so a rename in an
 * exporter is one edit here.
 */
export const PLATFORM_METRICS = {
  decisionsRouted: 'oversight_decisions_routed_total',
  reviewQueueDepth: 'oversight_review_queue_depth',
  reviewOldestPendingAge: 'oversight_review_oldest_pending_age_seconds',
  reviewSla: 'oversight_review_sla_seconds',
  reviewSlaAtRisk: 'oversight_review_sla_at_risk',
  timeToDecision: 'oversight_time_to_decision_seconds',
  slaBreaches: 'oversight_sla_breaches_total',
  escalations: 'oversight_escalations_total',
  deadLetters: 'oversight_dead_letters_total',
  consumerBatchDuration: 'oversight_consumer_batch_duration_seconds',
  consumerBatchSize: 'oversight_consumer_batch_size',
  consumerOffsetLag: 'oversight_consumer_offset_lag',
  auditAppendDelay: 'oversight_audit_append_delay_seconds',
  auditLastAppend: 'oversight_audit_last_append_timestamp_seconds',
  storeOperationDuration: 'oversight_store_operation_duration_seconds',
  executorTries: 'oversight_executor_tries_total',
  haltsInForce: 'oversight_halts_in_force',
  driftEpisodesOpen: 'oversight_drift_episodes_open',
  gatewayRefusals: 'oversight_gateway_refusals_total',
} as const;

/** The lag exporter's metrics: labels `group`, `topic` (and `partition` on the per-partition lag). */
export const LAG_EXPORTER_METRICS = {
  /** Per group, topic and partition: the committed offset's distance from the partition's end. */
  partitionLag: 'kafka_consumer_group_lag',
  /** Per group and topic: the lag summed over the topic's partitions. */
  topicLag: 'kafka_consumer_group_lag_sum',
  /** Per group: consumers in the group now. */
  members: 'kafka_consumer_group_members',
} as const;

/**
 * The platform's services, each its own process with its own /metrics, in the order `npm start` lists them (the
 * platform the demo, soak, chaos and e2e suites run); each one's scrape job is its name.
 */
export const PLATFORM_SERVICES = [
  'scoring',
  'routing',
  'escalation',
  'audit',
  'learning',
  'gateway',
  'demo-executor',
] as const;
export type PlatformService = (typeof PLATFORM_SERVICES)[number];

/** Prometheus scrape jobs: one per service, the lag exporter, and the monitoring itself. */
export const SCRAPE_JOBS = [...PLATFORM_SERVICES, 'kafka-lag', 'prometheus', 'alertmanager'] as const;
