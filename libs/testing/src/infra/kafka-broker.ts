import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Daemon, waitUntil } from './daemon';
import { requireCommand, requireFreePort, runToCompletion } from './host-tools';
import { InfraConfig } from './infra-config';

/** One fixed cluster id: the local broker's storage is formatted once and reused across restarts. */
const CLUSTER_ID = 'b3ZlcnNpZ2h0LWxvY2FsMQ';

/**
 * A real Apache Kafka broker in KRaft combined mode (broker and controller in one JVM), run from the jars
 * Maven fetches from Maven Central into a git-ignored folder.
 */
export class KafkaBroker {
  private readonly sourceDir: string;
  private readonly runDir: string;
  private readonly libsDir: string;
  readonly daemon: Daemon;

  constructor(private readonly config: InfraConfig) {
    this.sourceDir = path.join(config.workspaceRoot, 'deploy/local/kafka');
    this.runDir = path.join(config.home, 'run');
    this.libsDir = path.join(config.home, 'kafka', config.kafka.version, 'libs');
    this.daemon = new Daemon(
      'Kafka broker',
      path.join(this.runDir, 'kafka.pid'),
      path.join(config.home, 'logs', 'kafka.out'),
      'kafka.Kafka',
    );
  }

  get address(): string {
    return `127.0.0.1:${this.config.kafka.port}`;
  }

  /** Fetches the broker's jars once per version (Maven's ~/.m2 cache makes a re-fetch cheap). */
  async prepare(): Promise<void> {
    requireCommand('java', ['-version'], 'run the Kafka broker');
    const marker = path.join(this.libsDir, '.complete');
    if (fs.existsSync(marker)) return;
    requireCommand('mvn', ['-v'], "fetch the Kafka broker's jars from Maven Central");
    fs.mkdirSync(this.libsDir, { recursive: true });
    await runToCompletion(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        path.join(this.sourceDir, 'pom.xml'),
        'dependency:copy-dependencies',
        `-DoutputDirectory=${this.libsDir}`,
        `-Dkafka.version=${this.config.kafka.version}`,
      ],
      { logFile: path.join(this.config.home, 'logs', 'kafka-fetch.log') },
    );
    fs.writeFileSync(marker, new Date().toISOString());
  }

  async start(): Promise<'started' | 'already-running'> {
    if (this.daemon.isRunning()) return 'already-running';
    await requireFreePort(this.config.kafka.port, 'KAFKA_PORT', 'the Kafka broker');
    await requireFreePort(
      this.config.kafka.controllerPort,
      'KAFKA_CONTROLLER_PORT',
      "the Kafka broker's controller",
    );
    const propertiesFile = this.writeProperties();
    if (!fs.existsSync(path.join(this.config.kafka.dataDir, 'meta.properties'))) {
      await runToCompletion(
        'java',
        [
          '-Xmx256m',
          ...this.jvmArgs(),
          'kafka.tools.StorageTool',
          'format',
          '-t',
          CLUSTER_ID,
          '-c',
          propertiesFile,
          '--ignore-formatted',
        ],
        { logFile: path.join(this.config.home, 'logs', 'kafka-format.log') },
      );
    }
    this.daemon.start('java', [
      ...this.jvmArgs(),
      `-Xms${this.config.kafka.heap}`,
      `-Xmx${this.config.kafka.heap}`,
      'kafka.Kafka',
      propertiesFile,
    ]);
    return 'started';
  }

  /**
   * Ready means what the services need answers: a metadata request, the group coordinator (so consumer groups
   * can join) and a producer id (so idempotent producers can start). A fresh broker is up a few seconds before
   * its internal topics are loaded; waiting here keeps "coordinator loading" retries out of every client's log.
   */
  async waitUntilReady(timeoutMs = 90_000): Promise<void> {
    await waitUntil(
      `Kafka broker on ${this.address}`,
      () => this.answers({ coordinators: true }),
      timeoutMs,
      () => this.daemon.assertAlive(),
    );
  }

  async answers({ coordinators = false } = {}): Promise<boolean> {
    const kafka = new Kafka({
      clientId: 'infra-probe',
      brokers: [this.address],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, retry: { retries: 1, initialRetryTime: 100 } });
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0 || cluster.controller === null) return false;
      if (!coordinators) return true;
      // Both throw while the coordinators are still loading (retries are off).
      await admin.describeGroups(['infra-probe']);
      await producer.connect();
      return true;
    } finally {
      await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
    }
  }

  stop(): Promise<boolean> {
    return this.daemon.stop(30_000);
  }

  private jvmArgs(): string[] {
    return [
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dkafka.logs.dir=${path.join(this.config.home, 'logs', 'kafka')}`,
      `-Dlog4j2.configurationFile=${path.join(this.sourceDir, 'log4j2.properties')}`,
      '-cp',
      `${this.libsDir}/*`,
    ];
  }

  /** Renders server.properties for these ports and folders; the data dir's hash keeps configs apart. */
  private writeProperties(): string {
    const template = fs.readFileSync(path.join(this.sourceDir, 'server.properties.template'), 'utf8');
    const values: Record<string, string> = {
      KAFKA_PORT: String(this.config.kafka.port),
      KAFKA_CONTROLLER_PORT: String(this.config.kafka.controllerPort),
      KAFKA_DATA_DIR: this.config.kafka.dataDir,
    };
    const rendered = template.replace(
      /\$\{(KAFKA_[A-Z_]+)\}/g,
      (whole, name: string) => values[name] ?? whole,
    );
    const file = path.join(
      this.runDir,
      `server-${createHash('sha1').update(rendered).digest('hex').slice(0, 8)}.properties`,
    );
    fs.writeFileSync(file, rendered);
    return file;
  }
}
