import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@oversight/auth';
import { LAG_EXPORTER_METRICS as LAG, PLATFORM_METRICS as M, Topic, TOPIC_SPECS } from '@oversight/contracts';
import { ensureTopics } from '@oversight/messaging';
import {
  dropTestDatabase,
  freePort,
  serveMetrics,
  ServiceProcess,
  TestPrometheus,
  testDatabaseUri,
  testKafka,
  uniqueName,
} from '@oversight/testing';

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The README shows this suite's screenshot of the Operations screen. */
const SCREENSHOTS = path.resolve(__dirname, '../../../docs/screenshots');

/** Audit's store failing now: its dead letters grow with every scrape, so their rate is not zero. */
let storeFailures = 17;
/** A platform in a bad minute, as escalation, routing and the lag exporter would report it. */
const platformMetrics = () =>
  [
    `${M.reviewQueueDepth}{function="billing"} 14`,
    `${M.reviewQueueDepth}{function="contract-management"} 3`,
    `${M.reviewQueueDepth}{function="accounts-payable"} 6`,
    `${M.reviewOldestPendingAge}{function="billing"} 3100`,
    `${M.reviewOldestPendingAge}{function="contract-management"} 5400`,
    `${M.reviewOldestPendingAge}{function="accounts-payable"} 600`,
    `${M.reviewSla}{function="billing"} 3600`,
    `${M.reviewSla}{function="contract-management"} 14400`,
    `${M.reviewSla}{function="accounts-payable"} 7200`,
    `${M.reviewSlaAtRisk}{function="billing"} 3`,
    `${M.reviewSlaAtRisk}{function="contract-management"} 0`,
    `${M.reviewSlaAtRisk}{function="accounts-payable"} 0`,
    `${M.deadLetters}{service="routing",topic="${Topic.DecisionScored}",reason="invalid-event"} 4`,
    `${M.deadLetters}{service="audit",topic="${Topic.DecisionProposed}",reason="store-unavailable"} ${storeFailures++}`,
    `${M.haltsInForce} 1`,
    '',
  ].join('\n');
const LAG_METRICS = [
  `${LAG.topicLag}{group="routing",topic="${Topic.DecisionScored}"} 1250`,
  `${LAG.topicLag}{group="audit",topic="${Topic.DecisionProposed}"} 12`,
  `${LAG.topicLag}{group="escalation",topic="decision.routed.v1"} 0`,
  `${LAG.members}{group="routing"} 1`,
  `${LAG.members}{group="audit"} 2`,
  `${LAG.members}{group="escalation"} 1`,
  '',
].join('\n');
const ALERT_RULES = JSON.stringify({
  groups: [
    {
      name: 'console-operations-e2e',
      rules: [
        {
          alert: 'ReviewSlaAtRisk',
          expr: `sum by (function) (${M.reviewSlaAtRisk}) > 0`,
          labels: { severity: 'warning' },
          annotations: { summary: 'Open reviews are past 80 % of their SLA' },
        },
        {
          alert: 'ServiceDown',
          expr: 'up == 0',
          labels: { severity: 'page' },
          annotations: { summary: 'A service does not answer its metrics scrape' },
        },
      ],
    },
  ],
});

/**
 * The Operations screen in Chromium, served by a gateway process that reads a real Prometheus (Debian's
 * binary) scraping metrics this suite serves; an SRE signs in as the embedded setup's demo `root`.
 */
describe('Operations screen in Chromium (gateway and Prometheus as processes)', () => {
  const databaseUri = testDatabaseUri(uniqueName('ops-ui'));
  const endpoints: { address: string; close: () => Promise<void> }[] = [];
  let prometheus: TestPrometheus;
  let gateway: ServiceProcess;
  let browser: Browser;
  let base: string;

  const signIn = async (user: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('User').fill(user);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').filter({ hasText: user }).waitFor();
    return page;
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await ensureTopics(testKafka(), TOPIC_SPECS);
    endpoints.push(await serveMetrics(platformMetrics), await serveMetrics(() => LAG_METRICS));
    prometheus = new TestPrometheus(
      [
        { job: 'escalation', address: endpoints[0].address },
        { job: 'kafka-lag', address: endpoints[1].address },
        // Nothing listens there: the scoring service is down.
        { job: 'scoring', address: `127.0.0.1:${await freePort()}` },
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
    });
    [browser] = await Promise.all([
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
      gateway.start(),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await prometheus?.stop();
    await Promise.all(endpoints.map((endpoint) => endpoint.close()));
    await dropTestDatabase(databaseUri);
  });

  it('shows an SRE alerts, service health, review SLAs, consumer lag and dead letters', async () => {
    const page = await signIn('root');
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
    for (const section of [
      'Alerts',
      'Service health',
      'Review queues and SLAs',
      'Consumer lag',
      'Dead letters',
    ]) {
      await page.getByRole('heading', { level: 2, name: section }).waitFor();
    }
    // Refreshed every 10 s: the alerts fire once the rules have seen two scrapes.
    const alerts = page.getByTestId('ops-alerts');
    await alerts.getByRole('cell', { name: 'ServiceDown' }).waitFor({ timeout: 40_000 });
    await alerts.getByRole('cell', { name: 'ReviewSlaAtRisk' }).waitFor({ timeout: 40_000 });

    const services = page.getByTestId('ops-services');
    await expect(services.getByRole('row').nth(1).textContent()).resolves.toMatch(/^scoring.*down$/);
    const lag = page.getByTestId('ops-lag');
    await expect(lag.getByRole('row').nth(1).textContent()).resolves.toBe(
      `routing${Topic.DecisionScored}12501`,
    );
    const reviews = page.getByTestId('ops-reviews');
    await expect(reviews.getByRole('row').nth(1).textContent()).resolves.toBe('billing1451 min1 h3');
    const deadLetters = page.getByTestId('ops-dead-letters');
    // The busiest reason first: audit's, whose count grows with every scrape.
    await expect(deadLetters.getByRole('row').nth(1).textContent()).resolves.toMatch(
      /^auditdecision\.proposed\.v1store-unavailable/,
    );
    await expect(page.getByLabel('Headline figures').textContent()).resolves.toContain('Targets down1 of 3');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'operations.png'), fullPage: true });
  });

  it('is not offered to a reviewer', async () => {
    const page = await signIn('bella');
    await expect(page.getByRole('navigation', { name: 'Screens' }).textContent()).resolves.not.toContain(
      'Operations',
    );
  });

  it('says Prometheus is unreachable when it stops answering, keeping the last figures', async () => {
    const page = await signIn('root');
    await page.goto(`${base}/#/operations`);
    await page.getByTestId('ops-lag').getByRole('cell', { name: 'routing' }).waitFor();
    await prometheus.stop();
    const notice = page.getByTestId('prometheus-unreachable');
    await notice.waitFor({ timeout: 30_000 });
    await expect(notice.textContent()).resolves.toMatch(
      /^Prometheus unreachable\. Prometheus at .* did not answer/,
    );
    await page.getByTestId('ops-lag').getByRole('cell', { name: 'routing' }).waitFor();
  });
});
