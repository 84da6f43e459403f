import { Producer } from 'kafkajs';
import { DEVELOPMENT_JWT_SECRET, issueToken } from '@oversight/auth';
import {
  exampleDecisionProposed,
  PLATFORM_SERVICES,
  Reversibility,
  SCRAPE_JOBS,
  Topic,
  TOPIC_SPECS,
} from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { createProducer, ensureTopics, EventPublisher } from '@oversight/messaging';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import { DecisionSubmission, OversightClient } from '@oversight/sdk';
import {
  AlertmanagerServer,
  dropTestDatabase,
  eventually,
  LagExporter,
  loadInfraConfig,
  PlatformProcesses,
  reviewRequest,
  TestPrometheus,
  testKafka,
  uniqueName,
} from '@oversight/testing';
import { allDashboardExprs } from '../src/dashboard-exprs';
import { awaitJobsUp, emptyPanels, instantQuery } from '../src/panel-checks';

const usd = (value: number) => ({ value, currency: 'USD' });
const BILLING = 'telecom-billing';
const hostPort = (url: string) => new URL(url).host;

/**
 * The whole platform as processes, scraped by a Prometheus of the suite's own exactly as deploy/prometheus
 * scrapes it (a job per service, the lag exporter, Alertmanager, Prometheus itself): after real decisions every
 * target is up, the platform's counters moved as the query API tells it, and every panel of every Grafana
 * dashboard returns series, so no panel an SRE opens is empty.
 */
describe('dashboards on a running platform (all processes, real broker, store and Prometheus)', () => {
  const platform = new PlatformProcesses(PLATFORM_SERVICES, {
    EXECUTOR_FAILURE_RATE: '0',
    // The queue gauges each second rather than every 15 s, so the suite need not wait for them.
    REVIEW_QUEUE_METRICS_MS: '1000',
  });
  const infra = loadInfraConfig();
  let prometheus: TestPrometheus;
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

  beforeAll(async () => {
    const kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    producer = createProducer(kafka);
    await producer.connect();
    const control = new ControlClient(new EventPublisher(producer), 'e2e-operator');
    await control.resume('*', 'dashboards e2e start', 'e2e-operator');
    await control.resume(BILLING, 'dashboards e2e start', 'e2e-operator');
    await control.publishPolicy(
      { ...loadPolicyFile(REFERENCE_POLICY_FILE), policyId: platform.policyId },
      'e2e-operator',
    );
    await platform.start();
    prometheus = new TestPrometheus(
      [
        ...PLATFORM_SERVICES.map((job) => ({
          job,
          address: hostPort(platform.process(job).metricsUrl()),
        })),
        { job: 'kafka-lag', address: hostPort(new LagExporter(infra).metricsUrl) },
        { job: 'alertmanager', address: hostPort(new AlertmanagerServer(infra).url) },
      ],
      '',
      { scrapeSelf: true },
    );
    await prometheus.start();
    client = new OversightClient({
      gatewayUrl: platform.gatewayUrl,
      token: await tokenOf('billing-portal', ['upstream']),
    });
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await platform.stop();
    await producer?.disconnect();
    await dropTestDatabase(platform.databaseUri);
  });

  it('scrapes every job the deployment scrapes, all up', async () => {
    await awaitJobsUp(prometheus.url, SCRAPE_JOBS, 60_000);
    const jobs = (await prometheus.query('up')).map((sample) => sample.metric.job).sort();
    expect(jobs).toEqual([...SCRAPE_JOBS].sort());
  });

  it('shows the decisions as counters moved, and every dashboard panel with series', async () => {
    const auto = await submit({});
    const approved = await submit({ actionType: 'dispute-credit', amount: usd(150) });
    // Left open: the review queue and its SLA gauges have something to show.
    await submit({ actionType: 'dispute-credit', amount: usd(160) });
    const blocked = await submit({
      amount: usd(500),
      confidence: 0.1,
      reversibility: Reversibility.Irreversible,
    });
    // Not JSON: a dead letter.
    await producer.send({
      topic: Topic.DecisionProposed,
      messages: [{ key: uniqueName('dec'), value: '{' }],
    });
    // Requested 70 s ago and overdue: its one-minute escalation step has passed and it times out (a breach).
    await new EventPublisher(producer).publish(
      Topic.ReviewRequested,
      reviewRequest(uniqueName('dec'), platform.policyId, {}, { requestedAgoMs: 70_000, dueInMs: -1_000 }),
    );
    // No token: a refusal at the gateway.
    expect((await fetch(`${platform.gatewayUrl}/v1/review-tasks`)).status).toBe(401);

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

    // The counters as Prometheus has them, not as a service says.
    await eventually(
      async () => {
        const routed = (await prometheus.query(
          `sum by (route) (oversight_decisions_routed_total{function="${BILLING}"})`,
        )) as { metric: { route: string }; value: [number, string] }[];
        // A new consumer group reads the shared topic from its start: earlier suites' decisions count too.
        const byRoute = Object.fromEntries(routed.map((s) => [s.metric.route, Number(s.value[1])]));
        expect(byRoute.auto).toBeGreaterThanOrEqual(1);
        expect(byRoute.review).toBeGreaterThanOrEqual(2);
        expect(byRoute.blocked).toBeGreaterThanOrEqual(1);
        const decided = await instantQuery(
          prometheus.url,
          `sum(oversight_time_to_decision_seconds_count{function="${BILLING}",decided_by="person"})`,
        );
        expect(decided).toEqual([expect.objectContaining({ value: [expect.any(Number), '1'] })]);
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    );

    expect(await emptyPanels(prometheus.url, allDashboardExprs(), 90_000)).toEqual([]);
  }, 300_000);
});
