import { PanelExpr } from './dashboard-exprs';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One instant query's result at a Prometheus; a refused expression is an error naming it. */
export async function instantQuery(prometheusUrl: string, expr: string): Promise<unknown[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`, {
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  if (body.status !== 'success') throw new Error(`Prometheus refused ${expr}: ${body.error}`);
  return body.data?.result ?? [];
}

/** Waits until every named job has all its targets up; throws naming those that are not, after `waitMs`. */
export async function awaitJobsUp(prometheusUrl: string, jobs: readonly string[], waitMs: number) {
  const deadline = Date.now() + waitMs;
  let missing = [...jobs];
  for (;;) {
    const targets = (await instantQuery(prometheusUrl, 'up').catch(() => [])) as {
      metric: { job: string };
      value: [number, string];
    }[];
    missing = jobs.filter(
      (job) =>
        !targets.some((t) => t.metric.job === job) ||
        targets.some((t) => t.metric.job === job && t.value[1] !== '1'),
    );
    if (!missing.length) return;
    if (Date.now() > deadline) break;
    await pause(1_000);
  }
  throw new Error(`jobs not scraped (or down) at ${prometheusUrl} after ${waitMs} ms: ${missing.join(', ')}`);
}

/**
 * The panels whose expression still returns no series after `waitMs`: counters and histograms appear with
 * their first event and rates after two scrapes, so each empty one is asked again until then.
 */
export async function emptyPanels(
  prometheusUrl: string,
  exprs: readonly PanelExpr[],
  waitMs: number,
): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  let empty = [...exprs];
  for (;;) {
    const answers = await Promise.all(
      empty.map(async (item) => ({ item, series: (await instantQuery(prometheusUrl, item.expr)).length })),
    );
    empty = answers.filter((answer) => answer.series === 0).map((answer) => answer.item);
    if (!empty.length || Date.now() > deadline) break;
    await pause(2_000);
  }
  return empty.map((item) => `${item.dashboard} / ${item.panel} [${item.refId}]: ${item.expr}`);
}
