import { SCRAPE_JOBS } from '@oversight/contracts';
import { allDashboardExprs } from '../src/dashboard-exprs';
import { awaitJobsUp, emptyPanels } from '../src/panel-checks';

/** The Prometheus that scrapes the running platform: the embedded setup's by default (PROMETHEUS_PORT 9490). */
const PROMETHEUS_URL = (
  process.env.PROMETHEUS_URL ?? `http://127.0.0.1:${process.env.PROMETHEUS_PORT ?? 9490}`
).replace(/\/$/, '');
/** Long enough for a first scrape of everything, a rate window filled, and decisions to have flowed. */
const WAIT_MS = Number(process.env.DASHBOARD_WAIT_MS ?? 180_000);

/**
 * Every panel of every Grafana dashboard asked of a Prometheus that scrapes the running platform (Grafana itself
 * is not on these machines). Needs the platform running with traffic (npm start and the demo); starts nothing.
 */
describe(`dashboards against the live Prometheus at ${PROMETHEUS_URL}`, () => {
  it(
    'has every target up and every panel expression returning at least one series',
    async () => {
      await awaitJobsUp(PROMETHEUS_URL, SCRAPE_JOBS, WAIT_MS);
      expect(await emptyPanels(PROMETHEUS_URL, allDashboardExprs(), WAIT_MS)).toEqual([]);
    },
    WAIT_MS * 2 + 30_000,
  );
});
