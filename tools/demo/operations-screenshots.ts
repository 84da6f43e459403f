/**
 * The README's operations screenshots, taken of the running demo (`npm start` in another terminal, a few minutes
 * in): the console's Operations screen as the `root` demo user (role sre) sees it, and Prometheus's graph of the
 * pipeline. Waits until every scrape target is up. Debian's Chromium (CHROMIUM_PATH points elsewhere).
 *
 *   npm run screenshots-operations
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD } from '@oversight/auth';
import { loadInfraConfig } from '@oversight/testing';

const GATEWAY_URL = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const PROMETHEUS_URL = `http://127.0.0.1:${loadInfraConfig().monitoring.prometheusPort}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.resolve(__dirname, '../../docs/screenshots');
/** What the pipeline graph draws: decisions routed per second by route, over the last 5 minutes. */
const PIPELINE_EXPR = 'sum by (route) (rate(oversight_decisions_routed_total[1m]))';

async function targetsUp(): Promise<{ up: number; total: number }> {
  const response = await fetch(`${PROMETHEUS_URL}/api/v1/query?query=up`);
  const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
  const results = body.data.result;
  return { up: results.filter((r) => r.value[1] === '1').length, total: results.length };
}

async function main(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { up, total } = await targetsUp().catch(() => ({ up: 0, total: 0 }));
    if (total > 0 && up === total) break;
    if (Date.now() > deadline) {
      throw new Error(`${up} of ${total} targets up at ${PROMETHEUS_URL} after 2 min; is npm start running?`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${GATEWAY_URL}/`);
    await page.getByLabel('User').fill('root');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').filter({ hasText: 'root' }).waitFor();
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
    await page.getByTestId('ops-services').getByRole('row').nth(1).waitFor();
    const operations = path.join(OUT, 'operations-demo.png');
    await page.screenshot({ path: operations, fullPage: true });
    console.log(`wrote ${path.relative(process.cwd(), operations)}`);

    // Debian's Prometheus serves its classic UI.
    const graph = new URL(`${PROMETHEUS_URL}/classic/graph`);
    graph.searchParams.set('g0.expr', PIPELINE_EXPR);
    graph.searchParams.set('g0.tab', '0');
    graph.searchParams.set('g0.range_input', '5m');
    await page.goto(graph.toString());
    await page.locator('.graph_area svg, .graph svg').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_000);
    const pipeline = path.join(OUT, 'prometheus-pipeline.png');
    await page.screenshot({ path: pipeline, fullPage: true });
    console.log(`wrote ${path.relative(process.cwd(), pipeline)}`);
  } finally {
    await browser.close();
  }
}

main().catch((error: Error) => {
  console.error(`screenshots: ${error.message}`);
  process.exit(1);
});
