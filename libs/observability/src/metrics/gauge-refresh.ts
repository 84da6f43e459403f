/** How often gauges read from the store are refreshed: Prometheus' usual scrape interval. */
export const GAUGE_REFRESH_MS = 15_000;

export interface GaugeRefresh {
  stop(): Promise<void>;
}

/**
 * Refreshes gauges that need a read (from the store) every `intervalMs`, at once and then one read at a time,
 * so scrapes never cause reads and a slow store never piles them up. A failed read keeps the last values and
 * is said once until one succeeds again: the service's work never depends on it. The timer does not keep the
 * process alive.
 */
export function refreshGauges(
  what: string,
  refresh: () => Promise<void>,
  intervalMs = GAUGE_REFRESH_MS,
  warn: (message: string) => void = (message) => console.warn(message),
): GaugeRefresh {
  let running: Promise<void> | undefined;
  let failing = false;
  const pass = () => {
    running ??= refresh()
      .then(() => {
        failing = false;
      })
      .catch((error: Error) => {
        if (!failing) warn(`metrics: refreshing ${what} failed; the last values stay: ${error.message}`);
        failing = true;
      })
      .finally(() => (running = undefined));
    return running;
  };
  void pass();
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
