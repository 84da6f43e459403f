import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Daemon, waitUntil } from './daemon';
import { requireCommand, requireFreePort, runToCompletion } from './host-tools';
import { InfraConfig } from './infra-config';

/**
 * The collector builder's release; every collector module in deploy/local/lag-exporter/builder-config.yaml is
 * on this same release (mixing releases fails to compile).
 */
export const COLLECTOR_BUILDER_VERSION = 'v0.148.0';
/**
 * The one module of that release the checksum database does not answer for through the module proxy here
 * (its lookup is a 404, while the proxy serves the module itself): fetched from the proxy without that lookup.
 */
const MODULES_WITHOUT_CHECKSUM_LOOKUP = 'go.opentelemetry.io/collector/filter';

/**
 * Replaces every `${NAME}` in a deploy/ template. A placeholder without a value is an error, so a template and
 * the code that renders it cannot drift apart silently.
 */
export function renderTemplate(template: string, values: Record<string, string>, source: string): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${source} uses \${${name}}, which the infra CLI does not set`);
    return value;
  });
}

async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.ok;
}

/**
 * Consumer lag seen from outside the services: an OpenTelemetry Collector with only the Kafka metrics receiver
 * and the Prometheus exporter, built once with the collector builder from the Go module proxy (kminion and
 * kafka_exporter are not served there) and cached under .infra/bin like FerretDB.
 */
export class LagExporter {
  readonly daemon: Daemon;
  private readonly sourceDir: string;
  readonly configFile: string;

  constructor(private readonly config: InfraConfig) {
    this.sourceDir = path.join(config.workspaceRoot, 'deploy/local/lag-exporter');
    this.configFile = path.join(config.home, 'run', 'lag-exporter.yaml');
    this.daemon = new Daemon(
      'the Kafka lag exporter',
      path.join(config.home, 'run', 'lag-exporter.pid'),
      path.join(config.home, 'logs', 'lag-exporter.out'),
      path.join(config.home, 'bin', 'otelcol-kafka-lag-'),
    );
  }

  get metricsUrl(): string {
    return `http://127.0.0.1:${this.config.monitoring.lagExporterPort}/metrics`;
  }

  /** Named after a hash of the builder configuration, so changing a component rebuilds it. */
  get binary(): string {
    const hash = createHash('sha1')
      .update(COLLECTOR_BUILDER_VERSION)
      .update(fs.readFileSync(path.join(this.sourceDir, 'builder-config.yaml')))
      .digest('hex');
    return path.join(this.config.home, 'bin', `otelcol-kafka-lag-${hash.slice(0, 10)}`);
  }

  async prepare(log: (line: string) => void = () => undefined): Promise<void> {
    const binary = this.binary;
    if (fs.existsSync(binary)) return;
    requireCommand('go', ['version'], 'build the Kafka lag exporter (an OpenTelemetry Collector)');
    log(
      `building the Kafka lag exporter (OpenTelemetry Collector ${COLLECTOR_BUILDER_VERSION}); once per machine, ` +
        `a few minutes from empty caches (log: ${path.join(this.config.home, 'logs', 'lag-exporter-build.log')})`,
    );
    const buildDir = path.join(this.config.home, 'build', 'lag-exporter');
    fs.rmSync(buildDir, { recursive: true, force: true });
    fs.mkdirSync(buildDir, { recursive: true });
    const logFile = path.join(this.config.home, 'logs', 'lag-exporter-build.log');
    const env = { ...process.env, CGO_ENABLED: '0', GONOSUMDB: MODULES_WITHOUT_CHECKSUM_LOOKUP };
    const builderDir = path.join(this.config.home, 'bin', `ocb-${COLLECTOR_BUILDER_VERSION}`);
    const builder = path.join(builderDir, 'builder');
    if (!fs.existsSync(builder)) {
      await runToCompletion(
        'go',
        ['install', `go.opentelemetry.io/collector/cmd/builder@${COLLECTOR_BUILDER_VERSION}`],
        { logFile, env: { ...env, GOBIN: builderDir } },
      );
    }
    // The builder writes the collector's sources and binary to ./build (output_path) under its working folder.
    await runToCompletion(builder, ['--config', path.join(this.sourceDir, 'builder-config.yaml')], {
      cwd: buildDir,
      logFile,
      env,
    });
    fs.renameSync(path.join(buildDir, 'build', 'otelcol-kafka-lag'), binary);
    fs.rmSync(buildDir, { recursive: true, force: true });
  }

  /** The collector's configuration: this checkout's broker, lag every 5 s, served on LAG_EXPORTER_PORT. */
  renderConfig(): string {
    const { kafka, monitoring } = this.config;
    return [
      'receivers:',
      '  kafkametrics:',
      `    brokers: ['127.0.0.1:${kafka.port}']`,
      '    scrapers: [brokers, topics, consumers]',
      '    collection_interval: 5s',
      'exporters:',
      '  prometheus:',
      `    endpoint: 127.0.0.1:${monitoring.lagExporterPort}`,
      // kafka_consumer_group_lag, not kafka_consumer_group_lag_ratio: the names the alert rules use.
      '    add_metric_suffixes: false',
      'service:',
      '  pipelines:',
      '    metrics:',
      '      receivers: [kafkametrics]',
      '      exporters: [prometheus]',
      // The collector's own metrics listener (8888) would clash between checkouts; nothing reads it.
      '  telemetry:',
      '    metrics:',
      '      level: none',
      '',
    ].join('\n');
  }

  async start(): Promise<'started' | 'already-running'> {
    if (this.daemon.isRunning()) return 'already-running';
    await requireFreePort(
      this.config.monitoring.lagExporterPort,
      'LAG_EXPORTER_PORT',
      'the Kafka lag exporter',
    );
    fs.writeFileSync(this.configFile, this.renderConfig());
    this.daemon.start(this.binary, ['--config', this.configFile]);
    return 'started';
  }

  answers(): Promise<boolean> {
    return httpOk(this.metricsUrl);
  }

  waitUntilReady(timeoutMs = 30_000): Promise<void> {
    return waitUntil(
      this.metricsUrl,
      () => this.answers(),
      timeoutMs,
      () => this.daemon.assertAlive(),
    );
  }

  stop(): Promise<boolean> {
    return this.daemon.stop(10_000);
  }
}

/** Options a test uses to run Prometheus on rules of its own (e.g. a short `for:`). */
export interface PrometheusOptions {
  /** Defaults to THE rule file, deploy/prometheus/alerts.yml. */
  ruleFile?: string;
}

/**
 * Debian's `prometheus` run as this checkout's own process (not the package's system service), with the
 * configuration rendered from deploy/prometheus/prometheus.yml and its data under .infra/data.
 */
export class PrometheusServer {
  readonly daemon: Daemon;
  readonly configFile: string;

  constructor(
    private readonly config: InfraConfig,
    private readonly options: PrometheusOptions = {},
  ) {
    this.configFile = path.join(config.home, 'run', 'prometheus.yml');
    this.daemon = new Daemon(
      'Prometheus',
      path.join(config.home, 'run', 'prometheus.pid'),
      path.join(config.home, 'logs', 'prometheus.out'),
      this.configFile,
    );
  }

  get url(): string {
    return `http://127.0.0.1:${this.config.monitoring.prometheusPort}`;
  }

  get ruleFile(): string {
    return this.options.ruleFile ?? path.join(this.config.workspaceRoot, 'deploy/prometheus/alerts.yml');
  }

  prepare(): void {
    requireCommand(
      'prometheus',
      ['--version'],
      "run Prometheus (Debian's prometheus package; scripts/setup.sh)",
    );
  }

  renderConfig(): string {
    const source = path.join(this.config.workspaceRoot, 'deploy/prometheus/prometheus.yml');
    const { monitoring } = this.config;
    return renderTemplate(
      fs.readFileSync(source, 'utf8'),
      {
        SCRAPE_INTERVAL: monitoring.scrapeInterval,
        ALERT_RULES_FILE: this.ruleFile,
        ALERTMANAGER_PORT: String(monitoring.alertmanagerPort),
        LAG_EXPORTER_PORT: String(monitoring.lagExporterPort),
        PROMETHEUS_PORT: String(monitoring.prometheusPort),
      },
      source,
    );
  }

  async start(): Promise<'started' | 'already-running'> {
    if (this.daemon.isRunning()) return 'already-running';
    const { monitoring } = this.config;
    await requireFreePort(monitoring.prometheusPort, 'PROMETHEUS_PORT', 'Prometheus');
    fs.mkdirSync(monitoring.prometheusDataDir, { recursive: true });
    fs.writeFileSync(this.configFile, this.renderConfig());
    this.daemon.start('prometheus', [
      `--config.file=${this.configFile}`,
      `--storage.tsdb.path=${monitoring.prometheusDataDir}`,
      `--web.listen-address=127.0.0.1:${monitoring.prometheusPort}`,
      // A local history of a few days is plenty, and keeps .infra small.
      '--storage.tsdb.retention.time=3d',
      '--web.enable-lifecycle',
    ]);
    return 'started';
  }

  answers(): Promise<boolean> {
    return httpOk(`${this.url}/-/ready`);
  }

  waitUntilReady(timeoutMs = 30_000): Promise<void> {
    return waitUntil(
      `Prometheus on ${this.url}`,
      () => this.answers(),
      timeoutMs,
      () => this.daemon.assertAlive(),
    );
  }

  stop(): Promise<boolean> {
    return this.daemon.stop(10_000);
  }
}

/**
 * Debian's `prometheus-alertmanager` run as this checkout's own process, configured from
 * deploy/alertmanager/alertmanager.yml: alerts go to ALERT_WEBHOOK_URL with the bearer credential
 * ALERT_WEBHOOK_TOKEN, or nowhere while ALERT_WEBHOOK_URL is unset.
 */
export class AlertmanagerServer {
  readonly daemon: Daemon;
  readonly configFile: string;
  private readonly tokenFile: string;

  constructor(private readonly config: InfraConfig) {
    this.configFile = path.join(config.home, 'run', 'alertmanager.yml');
    this.tokenFile = path.join(config.home, 'run', 'alert-webhook-token');
    this.daemon = new Daemon(
      'Alertmanager',
      path.join(config.home, 'run', 'alertmanager.pid'),
      path.join(config.home, 'logs', 'alertmanager.out'),
      this.configFile,
    );
  }

  get url(): string {
    return `http://127.0.0.1:${this.config.monitoring.alertmanagerPort}`;
  }

  prepare(): void {
    requireCommand(
      'prometheus-alertmanager',
      ['--version'],
      "run Alertmanager (Debian's prometheus-alertmanager package; scripts/setup.sh)",
    );
  }

  renderConfig(): string {
    const source = path.join(this.config.workspaceRoot, 'deploy/alertmanager/alertmanager.yml');
    const { alertWebhookUrl, alertGroupWait } = this.config.monitoring;
    return renderTemplate(
      fs.readFileSync(source, 'utf8'),
      {
        ALERT_RECEIVER: alertWebhookUrl ? 'platform-webhook' : 'discard',
        // Unused while the route goes to `discard`, but the receiver must still be a valid one.
        ALERT_WEBHOOK_URL: alertWebhookUrl ?? 'http://127.0.0.1:9/unused',
        ALERT_WEBHOOK_TOKEN_FILE: this.tokenFile,
        ALERT_GROUP_WAIT: alertGroupWait,
        ALERT_GROUP_INTERVAL: '5m',
      },
      source,
    );
  }

  async start(): Promise<'started' | 'already-running'> {
    if (this.daemon.isRunning()) return 'already-running';
    const { monitoring } = this.config;
    await requireFreePort(monitoring.alertmanagerPort, 'ALERTMANAGER_PORT', 'Alertmanager');
    fs.mkdirSync(monitoring.alertmanagerDataDir, { recursive: true });
    // A file, not the config, holds the credential, readable by this user only.
    fs.writeFileSync(this.tokenFile, monitoring.alertWebhookToken ?? 'unset', { mode: 0o600 });
    fs.writeFileSync(this.configFile, this.renderConfig());
    this.daemon.start('prometheus-alertmanager', [
      `--config.file=${this.configFile}`,
      `--storage.path=${monitoring.alertmanagerDataDir}`,
      `--web.listen-address=127.0.0.1:${monitoring.alertmanagerPort}`,
      // One instance, no cluster: its gossip port (9094) would clash between checkouts.
      '--cluster.listen-address=',
    ]);
    return 'started';
  }

  answers(): Promise<boolean> {
    return httpOk(`${this.url}/-/ready`);
  }

  waitUntilReady(timeoutMs = 30_000): Promise<void> {
    return waitUntil(
      `Alertmanager on ${this.url}`,
      () => this.answers(),
      timeoutMs,
      () => this.daemon.assertAlive(),
    );
  }

  stop(): Promise<boolean> {
    return this.daemon.stop(10_000);
  }
}
