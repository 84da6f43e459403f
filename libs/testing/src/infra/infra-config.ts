import fs from 'node:fs';
import path from 'node:path';

const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');

/**
 * What FerretDB keeps its data in: `postgres` (a local PostgreSQL 15 server this infra also runs; the default)
 * or `sqlite` (one .sqlite file per database under FERRETDB_DATA_DIR). Applications see a mongodb:// URI either
 * way. Chosen by measurement (README, "Choosing the embedded store"): on PostgreSQL an exact `_id` is an index
 * lookup (PostgresServer.indexDocumentIds), on SQLite a scan.
 */
export const DEFAULT_STORE_BACKEND = 'postgres';
/**
 * PostgreSQL connections FerretDB may hold. FerretDB v1 keeps the query behind an update open while it writes,
 * so an update holds two connections at once: with as many updates in flight as the pool has connections,
 * each holds one and waits for a second for ever (seen: the whole store stopped answering). So the pool must
 * exceed the store operations all processes can have in flight together: STORE_CONNECTION_OPTIONS caps each
 * process at 10, and this leaves room for 20 processes.
 */
export const FERRETDB_POSTGRES_POOL = 200;
/** PostgreSQL's own connection limit: FerretDB's pool, plus room for psql, pg_isready and the benchmarks. */
export const POSTGRES_MAX_CONNECTIONS = FERRETDB_POSTGRES_POOL + 20;
export const STORE_BACKENDS = ['sqlite', 'postgres'] as const;
export type StoreBackend = (typeof STORE_BACKENDS)[number];

/**
 * Where and how the local Kafka broker and FerretDB run. Every value can be overridden by an environment
 * variable, so two checkouts (or CI beside a developer) can run side by side on other ports.
 */
export interface InfraConfig {
  workspaceRoot: string;
  /** Downloaded jars, built binaries, data, logs and pid files; git-ignored. */
  home: string;
  kafka: {
    version: string;
    port: number;
    controllerPort: number;
    dataDir: string;
    heap: string;
  };
  ferretdb: {
    port: number;
    /** The SQLite backend's files; unused with the postgres backend. */
    dataDir: string;
  };
  store: { backend: StoreBackend };
  postgres: {
    port: number;
    /** The cluster initdb creates on first use. */
    dataDir: string;
    /** POSTGRES_DATA_DIR was set: used as it is, never moved to a reachable folder (PostgresServer). */
    dataDirGiven: boolean;
    /** Where `initdb` and `postgres` are; found under /usr/lib/postgresql when unset. */
    binDir?: string;
    /** The database FerretDB keeps its collections in. */
    database: string;
  };
  /** The Kafka lag exporter (an OpenTelemetry Collector build) and Prometheus with Alertmanager. */
  monitoring: {
    lagExporterPort: number;
    prometheusPort: number;
    alertmanagerPort: number;
    prometheusDataDir: string;
    alertmanagerDataDir: string;
    /** How often Prometheus scrapes and evaluates the rules (5 s locally). */
    scrapeInterval: string;
    /** Where Alertmanager posts alerts; unset: alerts are kept in Alertmanager and sent nowhere. */
    alertWebhookUrl?: string;
    /** The bearer credential Alertmanager sends with them (it cannot HMAC-sign a body). */
    alertWebhookToken?: string;
    /** How long Alertmanager gathers alerts before the first notification of a group. */
    alertGroupWait: string;
  };
}

function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name}=${raw} is not a valid TCP port (1-65535)`);
  }
  return value;
}

export function loadInfraConfig(env: NodeJS.ProcessEnv = process.env): InfraConfig {
  const home = path.resolve(env.INFRA_HOME || path.join(WORKSPACE_ROOT, '.infra'));
  return {
    workspaceRoot: WORKSPACE_ROOT,
    home,
    kafka: {
      version: kafkaVersion(env.KAFKA_VERSION || defaultKafkaVersion()),
      port: portFromEnv(env, 'KAFKA_PORT', 9092),
      controllerPort: portFromEnv(env, 'KAFKA_CONTROLLER_PORT', 9093),
      dataDir: path.resolve(env.KAFKA_DATA_DIR || path.join(home, 'data', 'kafka')),
      heap: env.KAFKA_HEAP || '512m',
    },
    ferretdb: {
      port: portFromEnv(env, 'FERRETDB_PORT', 27017),
      dataDir: path.resolve(env.FERRETDB_DATA_DIR || path.join(home, 'data', 'ferretdb')),
    },
    store: { backend: storeBackend(env.STORE_BACKEND || DEFAULT_STORE_BACKEND) },
    postgres: {
      // Not 5432, so a system PostgreSQL on this machine is never in the way.
      port: portFromEnv(env, 'POSTGRES_PORT', 5433),
      dataDir: path.resolve(env.POSTGRES_DATA_DIR || path.join(home, 'data', 'postgres')),
      dataDirGiven: Boolean(env.POSTGRES_DATA_DIR),
      binDir: env.POSTGRES_BIN_DIR ? path.resolve(env.POSTGRES_BIN_DIR) : undefined,
      database: 'ferretdb',
    },
    monitoring: {
      lagExporterPort: portFromEnv(env, 'LAG_EXPORTER_PORT', 9308),
      prometheusPort: portFromEnv(env, 'PROMETHEUS_PORT', 9490),
      alertmanagerPort: portFromEnv(env, 'ALERTMANAGER_PORT', 9493),
      prometheusDataDir: path.resolve(env.PROMETHEUS_DATA_DIR || path.join(home, 'data', 'prometheus')),
      alertmanagerDataDir: path.resolve(env.ALERTMANAGER_DATA_DIR || path.join(home, 'data', 'alertmanager')),
      scrapeInterval: env.PROMETHEUS_SCRAPE_INTERVAL || '5s',
      alertWebhookUrl: webhookUrl(env.ALERT_WEBHOOK_URL),
      alertWebhookToken: env.ALERT_WEBHOOK_TOKEN || undefined,
      alertGroupWait: env.ALERT_GROUP_WAIT || '30s',
    },
  };
}

function webhookUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`ALERT_WEBHOOK_URL=${raw} is not a URL (e.g. https://alerts.example.org/oversight)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`ALERT_WEBHOOK_URL=${raw} must be an http:// or https:// URL`);
  }
  return url.toString();
}

function storeBackend(value: string): StoreBackend {
  const backend = STORE_BACKENDS.find((known) => known === value);
  if (!backend) {
    throw new Error(
      `STORE_BACKEND=${value} is not supported: use ${STORE_BACKENDS.join(' or ')} (the store FerretDB keeps its data in)`,
    );
  }
  return backend;
}

/** The connection settings applications read, derived from where the local infra listens. */
export function connectionEnv(config: InfraConfig): { KAFKA_BROKERS: string; MONGODB_URI: string } {
  return {
    KAFKA_BROKERS: `127.0.0.1:${config.kafka.port}`,
    MONGODB_URI: `mongodb://127.0.0.1:${config.ferretdb.port}/oversight`,
  };
}

/**
 * The pom's `kafka.version` is the one place the default lives (chosen by test against kafkajs 2.2.4; see the
 * README's "Infrastructure choices").
 */
export function defaultKafkaVersion(): string {
  const pom = fs.readFileSync(path.join(WORKSPACE_ROOT, 'deploy/local/kafka/pom.xml'), 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match) throw new Error('deploy/local/kafka/pom.xml has no <kafka.version> property');
  return match[1];
}

/** The pom's logging jars and log4j2 configuration fit Kafka 4.x only. */
function kafkaVersion(version: string): string {
  if (!/^4\.\d+\.\d+$/.test(version)) {
    throw new Error(
      `KAFKA_VERSION=${version} is not supported: the local broker set-up is for Kafka 4.x (e.g. 4.4.0)`,
    );
  }
  return version;
}
