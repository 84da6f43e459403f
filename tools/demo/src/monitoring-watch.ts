/** Where the embedded setup's monitoring answers (the infra CLI's ports). */
export interface MonitoringUrls {
  prometheus: string;
  alertmanager: string;
  lagExporter: string;
}

/** What Prometheus says of the run: its scrape targets and the alerts firing. */
export interface MonitoringSnapshot {
  up: number;
  total: number;
  /** Jobs with a target down, by name. */
  down: string[];
  /** Alert names firing now, each once. */
  firing: string[];
}

interface UpSample {
  metric: { job?: string };
  value: [number, string];
}
interface Alert {
  state?: string;
  labels?: { alertname?: string };
}

/** Prometheus's answers to `up` and to /api/v1/alerts as one snapshot. */
export function monitoringSnapshot(up: UpSample[], alerts: Alert[]): MonitoringSnapshot {
  const down = up.filter((sample) => sample.value[1] !== '1').map((sample) => sample.metric.job ?? '?');
  const firing = alerts
    .filter((alert) => alert.state === 'firing')
    .map((alert) => alert.labels?.alertname ?? '?');
  return {
    up: up.length - down.length,
    total: up.length,
    down: [...new Set(down)].sort(),
    firing: [...new Set(firing)].sort(),
  };
}

/** The live summary's monitoring lines: targets and alerts, then where to look. */
export function monitoringLines(
  urls: MonitoringUrls,
  snapshot: MonitoringSnapshot | undefined,
  error: string | undefined,
): string[] {
  const state = error
    ? `Prometheus not answering (${error}); npm run infra -- status`
    : !snapshot || snapshot.total === 0
      ? 'waiting for the first scrape'
      : `targets up ${snapshot.up} of ${snapshot.total}` +
        (snapshot.down.length ? ` (down: ${snapshot.down.join(', ')})` : '') +
        ` · alerts firing: ${snapshot.firing.length ? snapshot.firing.join(', ') : 'none'}`;
  return [
    `  monitoring   ${state}`,
    `               Prometheus ${urls.prometheus} · Alertmanager ${urls.alertmanager} · lag ${urls.lagExporter}`,
  ];
}

/** Asks Prometheus, one question at a time, for the snapshot; keeps the last answer and the last failure. */
export class MonitoringWatch {
  last?: MonitoringSnapshot;
  lastError?: string;
  private running?: Promise<void>;

  constructor(readonly urls: MonitoringUrls) {}

  refresh(): Promise<void> {
    this.running ??= this.read()
      .then((snapshot) => {
        this.last = snapshot;
        this.lastError = undefined;
      })
      .catch((error: Error) => {
        this.lastError = error.message;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async read(): Promise<MonitoringSnapshot> {
    const [up, alerts] = await Promise.all([
      this.get<{ result: UpSample[] }>('/api/v1/query?query=up'),
      this.get<{ alerts: Alert[] }>('/api/v1/alerts'),
    ]);
    return monitoringSnapshot(up.result, alerts.alerts);
  }

  private async get<T>(pathAndQuery: string): Promise<T> {
    const response = await fetch(`${this.urls.prometheus}${pathAndQuery}`, {
      signal: AbortSignal.timeout(3_000),
    });
    if (!response.ok) throw new Error(`${pathAndQuery} answered ${response.status}`);
    return ((await response.json()) as { data: T }).data;
  }
}
