import { issueToken } from '@oversight/auth';
import { LAG_EXPORTER_METRICS as LAG, PLATFORM_METRICS as M, TOPIC_SPECS } from '@oversight/contracts';
import { ensureTopics } from '@oversight/messaging';
import {
  dropTestDatabase,
  eventually,
  freePort,
  serveMetrics,
  ServiceProcess,
  TestPrometheus,
  testDatabaseUri,
  testKafka,
  uniqueName,
} from '@oversight/testing';

const SECRET = 'the-operations-e2e-secret-long-enough-for-hs256';
const AUTH = { secret: SECRET, issuer: 'oversight', audience: 'oversight-api' };

/** What "escalation" and the lag exporter report in this suite: known values the overview must pass on. */
const ESCALATION_METRICS = [
  `# TYPE ${M.reviewQueueDepth} gauge`,
  `${M.reviewQueueDepth}{function="billing"} 4`,
  `${M.reviewQueueDepth}{function="contracts"} 1`,
  `${M.reviewOldestPendingAge}{function="billing"} 2950`,
  `${M.reviewSla}{function="billing"} 3600`,
  `${M.reviewSla}{function="contracts"} 900`,
  `${M.reviewSlaAtRisk}{function="billing"} 2`,
  `${M.reviewSlaAtRisk}{function="contracts"} 0`,
  `# TYPE ${M.deadLetters} counter`,
  `${M.deadLetters}{service="escalation",topic="decision.routed",reason="invalid-event"} 7`,
  `${M.haltsInForce} 1`,
  '',
].join('\n');
const LAG_METRICS = [
  `${LAG.topicLag}{group="routing",topic="decision.scored"} 42`,
  `${LAG.topicLag}{group="audit",topic="decision.routed"} 3`,
  `${LAG.members}{group="routing"} 2`,
  `${LAG.members}{group="audit"} 1`,
  '',
].join('\n');
const ALERT_RULES = JSON.stringify({
  groups: [
    {
      name: 'operations-e2e',
      rules: [
        {
          alert: 'ReviewSlaAtRisk',
          expr: `sum by (function) (${M.reviewSlaAtRisk}) > 0`,
          labels: { severity: 'page' },
          annotations: { summary: 'reviews near their SLA' },
        },
      ],
    },
  ],
});

interface Overview {
  lag: unknown[];
  deadLetters: unknown[];
  reviews: unknown[];
  haltsInForce: number | null;
  services: unknown[];
  alerts: { name: string; state: string; severity: string | null; labels: Record<string, string> }[];
}

/**
 * The operations overview as an SRE gets it: a gateway process reading a real Prometheus (Debian's binary) that
 * scrapes /metrics endpoints this suite serves with known values, one target down, and one alert rule.
 */
describe('operations overview from Prometheus (gateway and Prometheus as processes)', () => {
  const databaseUri = testDatabaseUri(uniqueName('ops'));
  const endpoints: { address: string; close: () => Promise<void> }[] = [];
  let prometheus: TestPrometheus;
  let gateway: ServiceProcess;
  let base: string;
  let downTarget: string;

  const bearer = async (roles: string[]) => ({
    Authorization: `Bearer ${await issueToken(AUTH, { subject: `ops-${roles.join('-')}`, roles, kind: 'user' }, '10m')}`,
  });
  const overview = async (roles: string[]) => {
    const response = await fetch(`${base}/v1/operations/overview`, { headers: await bearer(roles) });
    return {
      status: response.status,
      body: (await response.json()) as Overview & { message?: string; code?: string },
    };
  };

  beforeAll(async () => {
    // The gateway reads the control topics at start: they must have leaders first.
    await ensureTopics(testKafka(), TOPIC_SPECS);
    endpoints.push(await serveMetrics(() => ESCALATION_METRICS), await serveMetrics(() => LAG_METRICS));
    downTarget = `127.0.0.1:${await freePort()}`;
    prometheus = new TestPrometheus(
      [
        { job: 'escalation', address: endpoints[0].address },
        { job: 'kafka-lag', address: endpoints[1].address },
        { job: 'scoring', address: downTarget },
      ],
      ALERT_RULES,
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await prometheus.start();
    gateway = new ServiceProcess('gateway', {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      MONGODB_URI: databaseUri,
      GATEWAY_PORT: String(port),
      ESCALATION_URL: `http://127.0.0.1:${await freePort()}`,
      PROMETHEUS_URL: prometheus.url,
      AUTH_JWT_SECRET: SECRET,
      CONSOLE_DIR: 'off',
    });
    await gateway.start();
    // Until every target was scraped once and the alert rule evaluated.
    await eventually(async () => expect((await prometheus.query('up')).length).toBe(3), {
      timeoutMs: 30_000,
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await prometheus?.stop();
    await Promise.all(endpoints.map((endpoint) => endpoint.close()));
    await dropTestDatabase(databaseUri);
  });

  it('gives an SRE lag, dead letters, review queues and SLAs, halts, service health and firing alerts', async () => {
    const { status, body } = await eventually(
      async () => {
        const answer = await overview(['sre']);
        expect(answer.body.alerts).toHaveLength(1);
        return answer;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(status).toBe(200);
    expect(body.lag).toEqual([
      { group: 'routing', topic: 'decision.scored', lag: 42, members: 2 },
      { group: 'audit', topic: 'decision.routed', lag: 3, members: 1 },
    ]);
    expect(body.deadLetters).toEqual([
      { service: 'escalation', topic: 'decision.routed', reason: 'invalid-event', total: 7, perSecond: 0 },
    ]);
    expect(body.reviews).toEqual([
      { function: 'billing', queueDepth: 4, oldestPendingAgeSeconds: 2950, slaSeconds: 3600, atRisk: 2 },
      { function: 'contracts', queueDepth: 1, oldestPendingAgeSeconds: null, slaSeconds: 900, atRisk: 0 },
    ]);
    expect(body.haltsInForce).toBe(1);
    expect(body.services).toEqual([
      { job: 'scoring', instance: downTarget, up: false },
      { job: 'escalation', instance: endpoints[0].address, up: true },
      { job: 'kafka-lag', instance: endpoints[1].address, up: true },
    ]);
    expect(body.alerts).toEqual([
      expect.objectContaining({
        name: 'ReviewSlaAtRisk',
        state: expect.stringMatching(/^(firing|pending)$/),
        severity: 'page',
        summary: 'reviews near their SLA',
        labels: expect.objectContaining({ function: 'billing' }),
      }),
    ]);
  });

  it('answers admins too, and refuses reviewers and supervisors', async () => {
    expect((await overview(['admin'])).status).toBe(200);
    expect((await overview(['reviewer'])).status).toBe(403);
    expect((await overview(['supervisor'])).status).toBe(403);
  });

  it('documents the operation with its answer shapes', async () => {
    const document = (await (await fetch(`${base}/docs-json`)).json()) as {
      paths: Record<
        string,
        { get: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> } }
      >;
    };
    const responses = document.paths['/v1/operations/overview'].get.responses;
    expect(responses['200'].content?.['application/json'].schema).toMatchObject({
      required: ['at', 'lag', 'deadLetters', 'reviews', 'haltsInForce', 'services', 'alerts'],
    });
    expect(responses['503'].content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorBody',
    });
  });

  it('says Prometheus is unavailable (503), not a fault of its own, when Prometheus is down', async () => {
    await prometheus.stop();
    const { status, body } = await overview(['sre']);
    expect(status).toBe(503);
    expect(body.code).toBe('prometheus-unavailable');
    expect(body.message).toMatch(new RegExp(`^Prometheus at ${prometheus.url} did not answer`));
  });
});
