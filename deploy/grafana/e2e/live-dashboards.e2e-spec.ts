import { SCRAPE_JOBS } from '@oversight/contracts';
import { allDashboardExprs, PanelExpr } from '../src/dashboard-exprs';

/** The Prometheus that scrapes the running platform: the embedded setup's by default (PROMETHEUS_PORT 9490). */
const PROMETHEUS_URL = (
  process.env.PROMETHEUS_URL ?? `http://127.0.0.1:${process.env.PROMETHEUS_PORT ?? 9490}`
).replace(/\/$/, '');
/** Jobs whose every target must be up before the panels are asked: the services, the lag exporter, Prometheus. */
const REQUIRED_JOBS = SCRAPE_JOBS.filter((job) => job !== 'alertmanager');
/** Long enough for a first scrape of everything, a rate window filled, and decisions to have flowed. */
const WAIT_MS = Number(process.env.DASHBOARD_WAIT_MS ?? 180_000);

async function query(expr: string): Promise<unknown[]> {
  const response = await fetch(`${PROMETHEUS_URL}/api/v1/query?query=${encodeURIComponent(expr)}`, {
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  if (body.status !== 'success') throw new Error(`Prometheus refused ${expr}: ${body.error}`);
  return body.data?.result ?? [];
}

/**
 * Every panel of every Grafana dashboard asked of a Prometheus that scrapes the running platform (Grafana itself
 * is not on these machines): each expression must return at least one series, or its panel would be empty.
 * Needs the platform running with traffic (npm start and the demo) and PROMETHEUS_URL; starts nothing.
 */
describe(`dashboards against the live Prometheus at ${PROMETHEUS_URL}`, () => {
  const exprs = allDashboardExprs();

  beforeAll(async () => {
    const deadline = Date.now() + WAIT_MS;
    let missing: string[] = [...REQUIRED_JOBS];
    while (Date.now() < deadline) {
      const up = (await query('up == 1').catch(() => [])) as { metric: { job: string } }[];
      missing = REQUIRED_JOBS.filter((job) => !up.some((sample) => sample.metric.job === job));
      if (!missing.length) return;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    throw new Error(
      `jobs not scraped (or down) at ${PROMETHEUS_URL} after ${WAIT_MS} ms: ${missing.join(', ')}`,
    );
  }, WAIT_MS + 30_000);

  it(
    'every panel expression returns at least one series',
    async () => {
      const deadline = Date.now() + WAIT_MS;
      let empty: PanelExpr[] = exprs;
      // Counters and histograms appear with their first event, rates after two scrapes: ask again until then.
      while (empty.length && Date.now() < deadline) {
        const answers = await Promise.all(
          empty.map(async (item) => ({ item, series: (await query(item.expr)).length })),
        );
        empty = answers.filter((answer) => answer.series === 0).map((answer) => answer.item);
        if (empty.length) await new Promise((resolve) => setTimeout(resolve, 5_000));
      }
      expect(empty.map((item) => `${item.dashboard} / ${item.panel} [${item.refId}]: ${item.expr}`)).toEqual(
        [],
      );
    },
    WAIT_MS * 2 + 30_000,
  );
});
