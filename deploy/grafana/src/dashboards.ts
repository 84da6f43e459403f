import { LAG_EXPORTER_METRICS as LAG, PLATFORM_METRICS as M } from '@oversight/contracts';
import { Dashboard, dashboard, Query } from './dashboard-model';

const RATE = '$__rate_interval';
const rate = (metric: string, by: string, filter = '') =>
  `sum by (${by}) (rate(${metric}${filter}[${RATE}]))`;
/** p50 and p95 of a histogram, per `by`. */
const quantiles = (histogram: string, by: string, legend: string): Query[] =>
  [0.5, 0.95].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ''}) (rate(${histogram}_bucket[${RATE}])))`,
    legend: `p${q * 100}${legend ? ` ${legend}` : ''}`,
  }));
const PLATFORM_JOBS = '{job=~"scoring|routing|escalation|audit|learning|gateway|demo-executor"}';

/** The platform at a glance: throughput, people's share, queues, halts, failures, health. */
const overview = dashboard({
  uid: 'oversight-overview',
  title: 'Oversight: overview',
  description: 'Decisions flowing, reviews waiting, halts, dead letters and the health of every service.',
  tags: ['overview'],
  sections: [
    {
      title: 'Now',
      panels: [
        {
          type: 'stat',
          title: 'Open review tasks',
          unit: 'short',
          width: 4,
          queries: [{ expr: `sum(${M.reviewQueueDepth})` }],
        },
        {
          type: 'stat',
          title: 'Reviews at risk of SLA',
          unit: 'short',
          width: 4,
          thresholds: { yellow: 1, red: 10 },
          queries: [{ expr: `sum(${M.reviewSlaAtRisk})` }],
        },
        {
          type: 'stat',
          title: 'Halts in force',
          unit: 'short',
          width: 4,
          thresholds: { red: 1 },
          queries: [{ expr: `max(${M.haltsInForce})` }],
        },
        {
          type: 'stat',
          title: 'Open drift episodes',
          unit: 'short',
          width: 4,
          thresholds: { yellow: 1 },
          // No episode ever raised is no series at all: read as 0, not as no data.
          queries: [{ expr: `sum(${M.driftEpisodesOpen}) or vector(0)` }],
        },
        {
          type: 'stat',
          title: 'Services up',
          unit: 'percentunit',
          width: 4,
          queries: [{ expr: `avg(up${PLATFORM_JOBS})` }],
        },
        {
          type: 'stat',
          title: 'Dead letters per second',
          unit: 'ops',
          width: 4,
          thresholds: { yellow: 0.01, red: 1 },
          queries: [{ expr: `sum(rate(${M.deadLetters}[${RATE}]))` }],
        },
      ],
    },
    {
      title: 'Traffic',
      panels: [
        {
          type: 'timeseries',
          title: 'Decisions routed per second, by route',
          unit: 'ops',
          queries: [{ expr: rate(M.decisionsRouted, 'route'), legend: '{{route}}' }],
        },
        {
          type: 'timeseries',
          title: 'Share of decisions sent to people or blocked',
          unit: 'percentunit',
          queries: [
            {
              expr: `${rate(M.decisionsRouted, 'route', '{route=~"review|blocked"}')} / ignoring(route) group_left sum(rate(${M.decisionsRouted}[${RATE}]))`,
              legend: '{{route}}',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'Consumer lag, by group',
          unit: 'short',
          queries: [{ expr: `sum by (group) (${LAG.topicLag})`, legend: '{{group}}' }],
        },
        {
          type: 'table',
          title: 'Service health',
          unit: 'short',
          queries: [{ expr: 'up' }],
        },
      ],
    },
  ],
});

/** The decision path: routing, consumers' batches, dead letters, executors. */
const pipeline = dashboard({
  uid: 'oversight-pipeline',
  title: 'Oversight: pipeline',
  description:
    'Rates, errors and durations on the decision path: routing, Kafka consumers, dead letters, executors.',
  tags: ['pipeline'],
  sections: [
    {
      title: 'Routing',
      panels: [
        {
          type: 'timeseries',
          title: 'Decisions routed per second, by function',
          unit: 'ops',
          queries: [{ expr: rate(M.decisionsRouted, 'function'), legend: '{{function}}' }],
        },
        {
          type: 'timeseries',
          title: 'Decisions routed per second, by tier',
          unit: 'ops',
          queries: [{ expr: rate(M.decisionsRouted, 'tier'), legend: '{{tier}}' }],
        },
      ],
    },
    {
      title: 'Consumers',
      panels: [
        {
          type: 'timeseries',
          title: 'Batch duration, by group',
          unit: 's',
          queries: quantiles(M.consumerBatchDuration, 'group', '{{group}}'),
        },
        {
          type: 'timeseries',
          title: 'Batches per second, by group',
          unit: 'ops',
          queries: [{ expr: rate(`${M.consumerBatchDuration}_count`, 'group'), legend: '{{group}}' }],
        },
        {
          type: 'timeseries',
          title: 'Messages per batch (mean), by group',
          unit: 'short',
          queries: [
            {
              expr: `${rate(`${M.consumerBatchSize}_sum`, 'group')} / ${rate(`${M.consumerBatchSize}_count`, 'group')}`,
              legend: '{{group}}',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'Offset lag seen by the consumers, by group and topic',
          unit: 'short',
          queries: [
            { expr: `sum by (group, topic) (${M.consumerOffsetLag})`, legend: '{{group}} {{topic}}' },
          ],
        },
      ],
    },
    {
      title: 'Failures',
      panels: [
        {
          type: 'timeseries',
          title: 'Dead letters per second, by reason',
          unit: 'ops',
          queries: [{ expr: rate(M.deadLetters, 'service, reason'), legend: '{{service}} {{reason}}' }],
        },
        {
          type: 'table',
          title: 'Dead letters, total by service, topic and reason',
          unit: 'short',
          queries: [{ expr: `sum by (service, topic, reason) (${M.deadLetters})` }],
        },
        {
          type: 'timeseries',
          title: 'Executor tries per second, by result',
          unit: 'ops',
          queries: [{ expr: rate(M.executorTries, 'result'), legend: '{{result}}' }],
        },
        {
          type: 'timeseries',
          title: 'Executor tries that failed or gave up',
          unit: 'percentunit',
          queries: [
            {
              expr: `sum(rate(${M.executorTries}{result=~"failed|given_up"}[${RATE}])) / sum(rate(${M.executorTries}[${RATE}]))`,
              legend: 'failed or given up',
            },
          ],
        },
      ],
    },
    {
      title: 'Processes',
      panels: [
        {
          type: 'timeseries',
          title: 'CPU per service',
          unit: 'percentunit',
          queries: [
            {
              expr: `sum by (job) (rate(process_cpu_seconds_total${PLATFORM_JOBS}[${RATE}]))`,
              legend: '{{job}}',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'Resident memory per service',
          unit: 'bytes',
          queries: [
            { expr: `sum by (job) (process_resident_memory_bytes${PLATFORM_JOBS})`, legend: '{{job}}' },
          ],
        },
        {
          type: 'timeseries',
          title: 'Event-loop lag p99 per service',
          unit: 's',
          queries: [
            { expr: `max by (job) (nodejs_eventloop_lag_p99_seconds${PLATFORM_JOBS})`, legend: '{{job}}' },
          ],
        },
        {
          type: 'timeseries',
          title: 'Gateway refusals per second, by reason',
          unit: 'ops',
          queries: [{ expr: rate(M.gatewayRefusals, 'reason'), legend: '{{reason}}' }],
        },
      ],
    },
  ],
});

/** People's work: queues, SLAs, time to decision, breaches and escalations. */
const reviewsSlas = dashboard({
  uid: 'oversight-reviews-slas',
  title: 'Oversight: reviews and SLAs',
  description:
    'Review queues per function, the oldest waiting task against its SLA, time to decision, breaches.',
  tags: ['reviews'],
  sections: [
    {
      title: 'Queues',
      panels: [
        {
          type: 'timeseries',
          title: 'Open review tasks, by function',
          unit: 'short',
          queries: [{ expr: `sum by (function) (${M.reviewQueueDepth})`, legend: '{{function}}' }],
        },
        {
          type: 'timeseries',
          title: 'Oldest open task against its SLA, by function',
          unit: 'percentunit',
          description: '1 = the oldest task is at its first-response deadline',
          queries: [
            {
              expr: `max by (function) (${M.reviewOldestPendingAge}) / max by (function) (${M.reviewSla})`,
              legend: '{{function}}',
            },
          ],
        },
        {
          type: 'table',
          title: 'Per function now: open, oldest, SLA, at risk',
          unit: 's',
          queries: [
            { expr: `sum by (function) (${M.reviewQueueDepth})` },
            { expr: `max by (function) (${M.reviewOldestPendingAge})` },
            { expr: `max by (function) (${M.reviewSla})` },
            { expr: `sum by (function) (${M.reviewSlaAtRisk})` },
          ],
          width: 24,
        },
      ],
    },
    {
      title: 'Decisions by people',
      panels: [
        {
          type: 'timeseries',
          title: 'Time to decision, by function',
          unit: 's',
          queries: quantiles(M.timeToDecision, 'function', '{{function}}'),
        },
        {
          type: 'timeseries',
          title: 'Decided by a person or by the timeout default',
          unit: 'ops',
          queries: [{ expr: rate(`${M.timeToDecision}_count`, 'decided_by'), legend: '{{decided_by}}' }],
        },
        {
          type: 'timeseries',
          title: 'SLA breaches per second, by function',
          unit: 'ops',
          queries: [{ expr: rate(M.slaBreaches, 'function'), legend: '{{function}}' }],
        },
        {
          type: 'timeseries',
          title: 'Escalations per second, by function',
          unit: 'ops',
          queries: [{ expr: rate(M.escalations, 'function'), legend: '{{function}}' }],
        },
      ],
    },
  ],
});

/** Kafka consumer lag as the lag exporter measures it from the broker's committed offsets. */
const kafkaLag = dashboard({
  uid: 'oversight-kafka-lag',
  title: 'Oversight: Kafka lag',
  description:
    'Consumer groups behind their topics, from committed offsets (the lag exporter), and their members.',
  tags: ['kafka'],
  sections: [
    {
      title: 'Lag',
      panels: [
        {
          type: 'timeseries',
          title: 'Lag by group and topic',
          unit: 'short',
          queries: [{ expr: `sum by (group, topic) (${LAG.topicLag})`, legend: '{{group}} {{topic}}' }],
        },
        {
          type: 'timeseries',
          title: 'Lag change per second (positive: falling behind)',
          unit: 'short',
          queries: [{ expr: `sum by (group) (deriv(${LAG.topicLag}[5m]))`, legend: '{{group}}' }],
        },
        {
          type: 'bargauge',
          title: 'Lag by partition now',
          unit: 'short',
          thresholds: { yellow: 100, red: 1000 },
          queries: [
            {
              expr: `max by (group, topic, partition) (${LAG.partitionLag})`,
              legend: '{{group}} {{topic}}/{{partition}}',
            },
          ],
        },
        {
          type: 'table',
          title: 'Consumer group members',
          unit: 'short',
          queries: [{ expr: `max by (group) (${LAG.members})` }],
        },
      ],
    },
  ],
});

/** The store (FerretDB behind the mongodb driver) and the audit trail's write path. */
const store = dashboard({
  uid: 'oversight-store',
  title: 'Oversight: store',
  description:
    'Store operations seen by the services (the mongodb driver), and how far behind the audit trail writes.',
  tags: ['store'],
  sections: [
    {
      title: 'Operations',
      panels: [
        {
          type: 'timeseries',
          title: 'Store operations per second, by operation',
          unit: 'ops',
          queries: [
            {
              expr: rate(`${M.storeOperationDuration}_count`, 'job, operation'),
              legend: '{{job}} {{operation}}',
            },
          ],
        },
        {
          type: 'timeseries',
          title: 'Store operation duration, by operation',
          unit: 's',
          queries: quantiles(M.storeOperationDuration, 'operation', '{{operation}}'),
        },
        {
          type: 'timeseries',
          title: 'Store operation p95, by collection',
          unit: 's',
          queries: [
            {
              expr: `histogram_quantile(0.95, sum by (le, collection) (rate(${M.storeOperationDuration}_bucket[${RATE}])))`,
              legend: '{{collection}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Audit trail',
      panels: [
        {
          type: 'timeseries',
          title: 'Audit append delay (event time to stored)',
          unit: 's',
          queries: quantiles(M.auditAppendDelay, '', ''),
        },
        {
          type: 'stat',
          title: 'Since the last audit append',
          unit: 's',
          thresholds: { yellow: 300, red: 3600 },
          queries: [{ expr: `time() - max(${M.auditLastAppend})` }],
        },
        {
          type: 'timeseries',
          title: 'Audit appends per second',
          unit: 'ops',
          queries: [{ expr: `sum(rate(${M.auditAppendDelay}_count[${RATE}]))`, legend: 'appends' }],
        },
      ],
    },
  ],
});

/** Every dashboard, by the file it is written to under deploy/grafana/dashboards. */
export const DASHBOARDS: Readonly<Record<string, Dashboard>> = {
  'overview.json': overview,
  'pipeline.json': pipeline,
  'reviews-slas.json': reviewsSlas,
  'kafka-lag.json': kafkaLag,
  'store.json': store,
};
