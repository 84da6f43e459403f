import fs from 'node:fs';
import path from 'node:path';
import { FerretDbServer } from './ferretdb-server';
import { connectionEnv, InfraConfig, loadInfraConfig } from './infra-config';
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
  async prepare(): Promise<void> {
    for (const dir of ['logs', 'run', 'bin'])
      fs.mkdirSync(path.join(this.config.home, dir), { recursive: true });
    await Promise.all([this.kafka.prepare(), this.ferretdb.prepare()]);
  }

  async up(log: (line: string) => void = () => undefined): Promise<void> {
    await this.prepare();
    const [kafka, ferretdb] = await Promise.all([this.kafka.start(), this.ferretdb.start()]);
    log(`kafka ${this.config.kafka.version}: ${kafka} on ${this.kafka.address}`);
    log(`ferretdb: ${ferretdb} on ${this.ferretdb.uri}`);
    await Promise.all([this.kafka.waitUntilReady(), this.ferretdb.waitUntilReady()]);
    log('kafka and ferretdb are answering');
  }

  async down(log: (line: string) => void = () => undefined): Promise<void> {
    const [kafka, ferretdb] = await Promise.all([this.kafka.stop(), this.ferretdb.stop()]);
    log(`kafka: ${kafka ? 'stopped' : 'was not running'}`);
    log(`ferretdb: ${ferretdb ? 'stopped' : 'was not running'}`);
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
