import fs from 'node:fs';
import path from 'node:path';
import { FerretDbServer } from './ferretdb-server';
import { connectionEnv, InfraConfig, loadInfraConfig } from './infra-config';
import { withInfraLock } from './infra-lock';
import { KafkaBroker } from './kafka-broker';

export interface InfraStatus {
  kafka: { running: boolean; answering: boolean; address: string; version: string };
  ferretdb: { running: boolean; answering: boolean; uri: string };
}

/**
 * The project's own infrastructure on this machine: a Kafka broker and FerretDB, started as background
 * processes. `up` is idempotent; `down` stops both. Used by the README commands, CI and the test rings.
 */
export class LocalInfra {
  readonly kafka: KafkaBroker;
  readonly ferretdb: FerretDbServer;

  constructor(readonly config: InfraConfig = loadInfraConfig()) {
    this.kafka = new KafkaBroker(config);
    this.ferretdb = new FerretDbServer(config);
  }

  get connection() {
    return connectionEnv(this.config);
  }

  /** Fetches the Kafka jars and builds FerretDB, in parallel; both are cached after the first time. */
  prepare(): Promise<void> {
    return this.locked(() => this.prepareUnlocked());
  }

  /**
   * Starts whatever is not running and waits until both answer. If either fails, what this call started is
   * stopped again, so a failed `up` leaves nothing half-running.
   */
  up(log: (line: string) => void = () => undefined): Promise<void> {
    return this.locked(async () => {
      await this.prepareUnlocked();
      const started: { stop(): Promise<boolean> }[] = [];
      try {
        const kafka = await this.kafka.start();
        if (kafka === 'started') started.push(this.kafka);
        log(`kafka ${this.config.kafka.version}: ${kafka} on ${this.kafka.address}`);
        const ferretdb = await this.ferretdb.start();
        if (ferretdb === 'started') started.push(this.ferretdb);
        log(`ferretdb: ${ferretdb} on ${this.ferretdb.uri}`);
        await Promise.all([this.kafka.waitUntilReady(), this.ferretdb.waitUntilReady()]);
        log('kafka and ferretdb are answering');
      } catch (error) {
        await Promise.allSettled(started.map((server) => server.stop()));
        throw error;
      }
    });
  }

  down(log: (line: string) => void = () => undefined): Promise<void> {
    return this.locked(async () => {
      const [kafka, ferretdb] = await Promise.all([this.kafka.stop(), this.ferretdb.stop()]);
      log(`kafka: ${kafka ? 'stopped' : 'was not running'}`);
      log(`ferretdb: ${ferretdb ? 'stopped' : 'was not running'}`);
    });
  }

  private async prepareUnlocked(): Promise<void> {
    await Promise.all([this.kafka.prepare(), this.ferretdb.prepare()]);
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    for (const dir of ['logs', 'run', 'bin'])
      fs.mkdirSync(path.join(this.config.home, dir), { recursive: true });
    return withInfraLock(path.join(this.config.home, 'run', 'infra.lock'), work);
  }

  async status(): Promise<InfraStatus> {
    const answering = (probe: () => Promise<boolean>) => probe().catch(() => false);
    return {
      kafka: {
        running: this.kafka.daemon.isRunning(),
        answering: await answering(() => this.kafka.answers()),
        address: this.kafka.address,
        version: this.config.kafka.version,
      },
      ferretdb: {
        running: this.ferretdb.daemon.isRunning(),
        answering: await answering(() => this.ferretdb.answers()),
        uri: this.ferretdb.uri,
      },
    };
  }
}
