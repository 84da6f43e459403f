import { Producer } from 'kafkajs';
import { DEVELOPMENT_JWT_SECRET, issueToken } from '@oversight/auth';
import {
  exampleDecisionProposed,
  PLATFORM_SERVICES,
  PlatformService,
  Reversibility,
  Topic,
  TOPIC_SPECS,
} from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { createProducer, ensureTopics, EventPublisher } from '@oversight/messaging';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import { DecisionSubmission, OversightClient } from '@oversight/sdk';
import {
  dropTestDatabase,
  eventually,
  PlatformProcesses,
  ServiceProcess,
  testKafka,
  uniqueName,
} from '@oversight/testing';
import { parseSamples, promtoolCheck, Sample, samplesOf, total } from './prometheus-text';

/**
 * What promtool says about prom-client's default metrics, which this platform does not name: three gauges of
 * active handles, requests and resources carry a `_total` suffix.
 */
const PROM_CLIENT_LINT =
  /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;

const usd = (value: number) => ({ value, currency: 'USD' });
const BILLING = 'telecom-billing';

/**
 * Every service's operations listener, as Prometheus scrapes it: decisions run through the whole platform (one
 * on its own, some to people, one approved by a person through the gateway, one blocked, one invalid message),
 * then each service's `/metrics` passes `promtool check metrics` and shows what happened.
 */
describe('metrics of every service (all processes, real broker and store)', () => {
  const platform = new PlatformProcesses(PLATFORM_SERVICES, {
    EXECUTOR_FAILURE_RATE: '0',
    // The queue gauges each second rather than every 15 s, so the suite need not wait for them.
    REVIEW_QUEUE_METRICS_MS: '1000',
  });
  let producer: Producer;
  let client: OversightClient;

  const tokenOf = (subject: string, roles: string[]) =>
    issueToken(
      { secret: DEVELOPMENT_JWT_SECRET, issuer: 'oversight', audience: 'oversight-api' },
      { subject, roles, kind: 'user' },
      '10m',
    );

  const submit = (fields: Partial<DecisionSubmission>) => {
    const { requester: _requester, ...proposal } = exampleDecisionProposed();
    return client.submit({ decisionId: uniqueName('dec'), ...proposal, ...fields });
  };

  const scrape = async (service: PlatformService): Promise<{ text: string; samples: Sample[] }> => {
    const response = await fetch(platform.process(service).metricsUrl());
    expect(response.status).toBe(200);
    const text = await response.text();
    return { text, samples: parseSamples(text) };
  };

  beforeAll(async () => {
    const kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    producer = createProducer(kafka);
    await producer.connect();
    const control = new ControlClient(new EventPublisher(producer), 'e2e-operator');
    await control.resume('*', 'metrics e2e start', 'e2e-operator');
    await control.resume(BILLING, 'metrics e2e start', 'e2e-operator');
    await control.publishPolicy(
      { ...loadPolicyFile(REFERENCE_POLICY_FILE), policyId: platform.policyId },
      'e2e-operator',
    );
    await platform.start();
    client = new OversightClient({
      gatewayUrl: platform.gatewayUrl,
      token: await tokenOf('billing-portal', ['upstream']),
    });
  }, 180_000);

  afterAll(async () => {
    await platform.stop();
    await producer?.disconnect();
    await dropTestDatabase(platform.databaseUri);
  });

  it('serves health and metrics on each service’s own listener, apart from its API', async () => {
    for (const service of PLATFORM_SERVICES) {
      const base = platform
        .process(service)
        .metricsUrl()
        .replace(/\/metrics$/, '');
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
    }
  });

  it('shows decisions routed, reviews decided, dead letters and the work behind them', async () => {
    const auto = await submit({});
    const approved = await submit({ actionType: 'dispute-credit', amount: usd(150) });
    await submit({ actionType: 'dispute-credit', amount: usd(160) });
    const blocked = await submit({
      amount: usd(500),
      confidence: 0.1,
      reversibility: Reversibility.Irreversible,
    });
    // Not JSON at all: every consumer of the topic dead-letters it.
    await producer.send({
      topic: Topic.DecisionProposed,
      messages: [{ key: uniqueName('dec'), value: '{nope' }],
    });

    expect(await client.awaitOutcome(auto.decisionId, 60_000)).toMatchObject({ outcome: 'approved' });
    expect(await client.awaitOutcome(blocked.decisionId, 60_000)).toMatchObject({ outcome: 'blocked' });

    const token = await tokenOf('bella', ['reviewer', 'billing-specialist']);
    const task = `${platform.gatewayUrl}/v1/review-tasks/${approved.decisionId}`;
    await eventually(
      async () =>
        expect((await fetch(task, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const approval = await fetch(`${task}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'charge never ordered' }),
    });
    expect(approval.status).toBe(200);
    expect(await client.awaitOutcome(approved.decisionId, 60_000)).toMatchObject({ outcome: 'approved' });

    const routingGroup = platform.env.ROUTING_CONSUMER_GROUP;
    await eventually(
      async () => {
        const { samples } = await scrape('routing');
        for (const route of ['auto', 'review', 'blocked']) {
          expect(
            total(samples, 'oversight_decisions_routed_total', { route, function: BILLING }),
          ).toBeGreaterThan(0);
        }
        expect(
          total(samples, 'oversight_consumer_batch_size_count', { group: routingGroup }),
        ).toBeGreaterThan(0);
        expect(
          samplesOf(samples, 'oversight_consumer_offset_lag', { group: routingGroup }).length,
        ).toBeGreaterThan(0);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );

    await eventually(
      async () => {
        const { samples } = await scrape('scoring');
        expect(
          total(samples, 'oversight_dead_letters_total', {
            service: 'scoring',
            topic: Topic.DecisionProposed,
            reason: 'not-json',
          }),
          // A new group reads the topic from its start: earlier runs' bad messages count too.
        ).toBeGreaterThanOrEqual(1);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );

    await eventually(
      async () => {
        const { samples } = await scrape('escalation');
        expect(
          total(samples, 'oversight_time_to_decision_seconds_count', {
            function: BILLING,
            decided_by: 'person',
          }),
        ).toBe(1);
        // The second dispute stays open.
        expect(total(samples, 'oversight_review_queue_depth', { function: BILLING })).toBeGreaterThanOrEqual(
          1,
        );
        expect(
          total(samples, 'oversight_review_oldest_pending_age_seconds', { function: BILLING }),
        ).toBeGreaterThan(0);
        // Requests of earlier runs on the shared topic open tasks here too, under their own policies' SLAs.
        expect(total(samples, 'oversight_review_sla_seconds', { function: BILLING })).toBeGreaterThanOrEqual(
          3600,
        );
        expect(samplesOf(samples, 'oversight_review_sla_at_risk', { function: BILLING })).toHaveLength(1);
        expect(
          total(samples, 'oversight_store_operation_duration_seconds_count', { collection: 'review_tasks' }),
        ).toBeGreaterThan(0);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );

    await eventually(
      async () => {
        const { samples } = await scrape('audit');
        expect(total(samples, 'oversight_audit_append_delay_seconds_count')).toBeGreaterThan(0);
        expect(total(samples, 'oversight_audit_last_append_timestamp_seconds')).toBeGreaterThan(0);
        expect(
          total(samples, 'oversight_store_operation_duration_seconds_count', { collection: 'audit_events' }),
        ).toBeGreaterThan(0);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );

    await eventually(
      async () => {
        const { samples } = await scrape('demo-executor');
        expect(
          total(samples, 'oversight_executor_tries_total', { result: 'succeeded' }),
        ).toBeGreaterThanOrEqual(2);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );

    const { samples: gateway } = await scrape('gateway');
    // Suites before this one on the shared control topic may leave a halt in force: one unlabelled count.
    const halts = samplesOf(gateway, 'oversight_halts_in_force');
    expect(halts).toEqual([expect.objectContaining({ labels: {} })]);
    expect(Number.isInteger(halts[0].value) && halts[0].value >= 0).toBe(true);

    // Every consumer's batches, and every service with a store, its store commands.
    const groups: Partial<Record<PlatformService, string>> = {
      scoring: platform.env.SCORING_CONSUMER_GROUP,
      routing: routingGroup,
      escalation: platform.env.ESCALATION_CONSUMER_GROUP,
      audit: platform.env.AUDIT_CONSUMER_GROUP,
      learning: platform.env.LEARNING_CONSUMER_GROUP,
      'demo-executor': `executor-${platform.env.EXECUTOR_NAME}`,
    };
    for (const [service, group] of Object.entries(groups) as [PlatformService, string][]) {
      const { samples } = await scrape(service);
      const batches = total(samples, 'oversight_consumer_batch_duration_seconds_count', { group });
      expect({ service, group, batched: batches > 0 }).toEqual({ service, group, batched: true });
    }
    for (const service of [
      'routing',
      'escalation',
      'audit',
      'learning',
      'gateway',
      'demo-executor',
    ] as const) {
      const { samples } = await scrape(service);
      expect({
        service,
        observed: total(samples, 'oversight_store_operation_duration_seconds_count') > 0,
      }).toEqual({
        service,
        observed: true,
      });
    }
  });

  it('passes promtool check metrics on every service, with the process metrics and no id in a label', async () => {
    for (const service of PLATFORM_SERVICES) {
      const { text, samples } = await scrape(service);
      const { status, output } = promtoolCheck(text);
      // promtool's only findings may be prom-client's own process gauges named like counters (status 3: lint).
      const findings = output.split('\n').filter((line) => line && !PROM_CLIENT_LINT.test(line));
      expect({ service, status: findings.length ? status : 0, findings }).toEqual({
        service,
        status: 0,
        findings: [],
      });
      expect(samplesOf(samples, 'process_cpu_user_seconds_total')).toHaveLength(1);
      const labelValues = samples.flatMap((s) => Object.values(s.labels));
      expect({ service, ids: labelValues.filter((v) => v.startsWith('dec-')) }).toEqual({ service, ids: [] });
    }
  });

  it('keeps a service running without metrics when its metrics port is taken', async () => {
    const taken = new URL(platform.process('scoring').metricsUrl()).port;
    const twin = new ServiceProcess('scoring', { ...platform.env, METRICS_PORT: taken });
    try {
      await twin.start();
      expect(twin.output).toContain(`metrics listener could not listen on 127.0.0.1:${taken}`);
      expect(twin.running).toBe(true);
    } finally {
      await twin.stop();
    }
  });
});
