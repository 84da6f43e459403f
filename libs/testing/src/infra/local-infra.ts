import fs from 'node:fs';
import path from 'node:path';
import { FerretDbServer } from './ferretdb-server';
import { connectionEnv, InfraConfig, loadInfraConfig, StoreBackend } from './infra-config';
import { withInfraLock } from './infra-lock';
import { KafkaBroker } from './kafka-broker';
import { AlertmanagerServer, LagExporter, PrometheusServer } from './monitoring';
import { PostgresServer } from './postgres-server';

export interface InfraStatus {
  kafka: { running: boolean; answering: boolean; address: string; version: string };
  ferretdb: {
    running: boolean;
    answering: boolean;
    uri: string;
    /** The backend the running FerretDB uses, else the configured one (STORE_BACKEND). */
    backend: StoreBackend;
    /** Where that backend keeps the data: the SQLite folder or the PostgreSQL URL. */
    store: string;
    /** Set when the running FerretDB's backend is not STORE_BACKEND: what to do about it. */
    mismatch?: string;
  };
  postgres: { running: boolean; answering: boolean; url: string; dataDir: string };
  lagExporter: { running: boolean; answering: boolean; url: string };
  prometheus: { running: boolean; answering: boolean; url: string };
  alertmanager: { running: boolean; answering: boolean; url: string; receiver: string };
}

/**
 * The project's own infrastructure on this machine: a Kafka broker and FerretDB, and with
 * STORE_BACKEND=postgres the PostgreSQL server under FerretDB, started as background processes. `up` is
 * idempotent; `down` stops them all. Used by the README commands, CI and the test rings.
 */
export class LocalInfra {
  readonly kafka: KafkaBroker;
  readonly ferretdb: FerretDbServer;
  readonly postgres: PostgresServer;
  readonly lagExporter: LagExporter;
  readonly prometheus: PrometheusServer;
  readonly alertmanager: AlertmanagerServer;

  constructor(readonly config: InfraConfig = loadInfraConfig()) {
    this.kafka = new KafkaBroker(config);
    this.lagExporter = new LagExporter(config);
    this.prometheus = new PrometheusServer(config);
    this.alertmanager = new AlertmanagerServer(config);
    this.postgres = new PostgresServer(config);
    this.ferretdb = new FerretDbServer(config, this.postgres.url);
  }

  /** The backend FerretDB runs on now, or will run on at the next `up`. */
  get storeBackend(): StoreBackend {
    return this.ferretdb.runningBackend() ?? this.config.store.backend;
  }

  get usesPostgres(): boolean {
    return this.config.store.backend === 'postgres';
  }

  get connection() {
    return connectionEnv(this.config);
  }

  /**
   * Fetches the Kafka jars and builds FerretDB, in parallel; both are cached after the first time. With the
   * postgres backend, also checks that PostgreSQL's programs are installed.
   */
  prepare(log: (line: string) => void = () => undefined): Promise<void> {
    return this.locked(() => this.prepareUnlocked(log));
  }

  /**
   * Starts whatever is not running and waits until both answer. If either fails, what this call started is
   * stopped again, so a failed `up` leaves nothing half-running.
   */
  up(log: (line: string) => void = () => undefined): Promise<void> {
    return this.locked(async () => {
      // Before anything starts: a FerretDB on the other backend is an error, not something to reuse.
      const running = this.ferretdb.runningBackend();
      if (running !== undefined) this.ferretdb.requireBackend(running);
      await this.prepareUnlocked(log);
      const started: { stop(): Promise<boolean> }[] = [];
      try {
        const kafka = await this.kafka.start();
        if (kafka === 'started') started.push(this.kafka);
        log(`kafka ${this.config.kafka.version}: ${kafka} on ${this.kafka.address}`);
        if (this.usesPostgres) {
          const postgres = await this.postgres.start();
          if (postgres === 'started') started.push(this.postgres);
          log(`postgres: ${postgres} on 127.0.0.1:${this.config.postgres.port} (${this.postgres.dataDir})`);
          // FerretDB's postgresql handler needs the server (and its database) when it starts.
          await this.postgres.waitUntilReady();
        }
        const ferretdb = await this.ferretdb.start();
        if (ferretdb === 'started') started.push(this.ferretdb);
        log(
          `ferretdb: ${ferretdb} on ${this.ferretdb.uri} (backend ${this.config.store.backend}: ${this.ferretdb.store})`,
        );
        await Promise.all([this.kafka.waitUntilReady(), this.ferretdb.waitUntilReady()]);
        log(`kafka and ferretdb${this.usesPostgres ? ' (on postgres)' : ''} are answering`);
        // Monitoring beside the broker: the lag exporter reads the broker, Prometheus scrapes it and sends
        // to Alertmanager, so Alertmanager starts first.
        for (const [name, server, url] of [
          ['lag exporter', this.lagExporter, this.lagExporter.metricsUrl],
          ['alertmanager', this.alertmanager, this.alertmanager.url],
          ['prometheus', this.prometheus, this.prometheus.url],
        ] as const) {
          const result = await server.start();
          if (result === 'started') started.push(server);
          log(`${name}: ${result} on ${url}`);
        }
        await Promise.all([
          this.lagExporter.waitUntilReady(),
          this.alertmanager.waitUntilReady(),
          this.prometheus.waitUntilReady(),
        ]);
        log(
          `lag exporter, prometheus and alertmanager are answering (alerts to ${this.config.monitoring.alertWebhookUrl ?? 'no receiver: ALERT_WEBHOOK_URL is unset'})`,
        );
      } catch (error) {
        await Promise.allSettled(started.map((server) => server.stop()));
        throw error;
      }
    });
  }

  down(log: (line: string) => void = () => undefined): Promise<void> {
    return this.locked(async () => {
      const [prometheus, alertmanager, lagExporter] = await Promise.all([
        this.prometheus.stop(),
        this.alertmanager.stop(),
        this.lagExporter.stop(),
      ]);
      const [kafka, ferretdb] = await Promise.all([this.kafka.stop(), this.ferretdb.stop()]);
      // Whatever STORE_BACKEND says now: a PostgreSQL from an earlier `up` is stopped too, after its client.
      const postgres = await this.postgres.stop();
      log(`kafka: ${kafka ? 'stopped' : 'was not running'}`);
      log(`ferretdb: ${ferretdb ? 'stopped' : 'was not running'}`);
      log(`postgres: ${postgres ? 'stopped' : 'was not running'}`);
      log(`lag exporter: ${lagExporter ? 'stopped' : 'was not running'}`);
      log(`prometheus: ${prometheus ? 'stopped' : 'was not running'}`);
      log(`alertmanager: ${alertmanager ? 'stopped' : 'was not running'}`);
    });
  }

  private async prepareUnlocked(log: (line: string) => void): Promise<void> {
    this.prometheus.prepare();
    this.alertmanager.prepare();
    await Promise.all([
      this.lagExporter.prepare(log),
      this.kafka.prepare(),
      this.ferretdb.prepare(),
      this.usesPostgres ? this.postgres.prepare() : undefined,
    ]);
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    for (const dir of ['logs', 'run', 'bin'])
      fs.mkdirSync(path.join(this.config.home, dir), { recursive: true });
    return withInfraLock(path.join(this.config.home, 'run', 'infra.lock'), work);
  }

  async status(): Promise<InfraStatus> {
    const answering = (probe: () => Promise<boolean>) => probe().catch(() => false);
    const running = this.ferretdb.runningBackend();
    const backend = running ?? this.config.store.backend;
    let mismatch: string | undefined;
    try {
      if (running !== undefined) this.ferretdb.requireBackend(running);
    } catch (error) {
      mismatch = (error as Error).message;
    }
    return {
      kafka: {
        running: this.kafka.daemon.isRunning(),
        answering: await answering(() => this.kafka.answers()),
        address: this.kafka.address,
        version: this.config.kafka.version,
      },
      ferretdb: {
        running: running !== undefined,
        answering: await answering(() => this.ferretdb.answers()),
        uri: this.ferretdb.uri,
        backend,
        store: backend === 'postgres' ? this.postgres.url : this.config.ferretdb.dataDir,
        ...(mismatch && { mismatch }),
      },
      postgres: {
        running: this.postgres.daemon.isRunning(),
        answering: await answering(() => this.postgres.answers()),
        url: this.postgres.url,
        dataDir: this.postgres.dataDir,
      },
      lagExporter: {
        running: this.lagExporter.daemon.isRunning(),
        answering: await answering(() => this.lagExporter.answers()),
        url: this.lagExporter.metricsUrl,
      },
      prometheus: {
        running: this.prometheus.daemon.isRunning(),
        answering: await answering(() => this.prometheus.answers()),
        url: this.prometheus.url,
      },
      alertmanager: {
        running: this.alertmanager.daemon.isRunning(),
        answering: await answering(() => this.alertmanager.answers()),
        url: this.alertmanager.url,
        receiver: this.config.monitoring.alertWebhookUrl ?? 'none (ALERT_WEBHOOK_URL is unset)',
      },
    };
  }
}
