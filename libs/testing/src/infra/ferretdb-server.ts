import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { Daemon, waitUntil } from './daemon';
import { requireCommand, requireFreePort, runToCompletion } from './host-tools';
import { FERRETDB_POSTGRES_POOL, InfraConfig, STORE_BACKENDS, StoreBackend } from './infra-config';

/**
 * FerretDB v1 on its SQLite backend or on PostgreSQL (STORE_BACKEND): a real server speaking the MongoDB wire
 * protocol, built with `go` from the small main module in deploy/local/ferretdb. Applications only see a
 * mongodb:// URI.
 */
export class FerretDbServer {
  private readonly sourceDir: string;
  /** Which backend the running process was started with, so `up` never reuses it for the other one. */
  private readonly backendFile: string;
  readonly daemon: Daemon;

  constructor(
    private readonly config: InfraConfig,
    /** The PostgreSQL connection for STORE_BACKEND=postgres. */
    private readonly postgresUrl: string,
  ) {
    this.backendFile = path.join(config.home, 'run', 'ferretdb.backend');
    this.sourceDir = path.join(config.workspaceRoot, 'deploy/local/ferretdb');
    this.daemon = new Daemon(
      'FerretDB',
      path.join(config.home, 'run', 'ferretdb.pid'),
      path.join(config.home, 'logs', 'ferretdb.out'),
      path.join(config.home, 'bin', 'ferretdb-'),
    );
  }

  get uri(): string {
    return `mongodb://127.0.0.1:${this.config.ferretdb.port}/`;
  }

  /** The binary is named after a hash of its sources, so editing main.go or go.mod rebuilds it. */
  get binary(): string {
    const hash = createHash('sha1');
    for (const file of ['go.mod', 'go.sum', 'main.go'])
      hash.update(fs.readFileSync(path.join(this.sourceDir, file)));
    return path.join(this.config.home, 'bin', `ferretdb-${hash.digest('hex').slice(0, 10)}`);
  }

  async prepare(): Promise<void> {
    const binary = this.binary;
    if (fs.existsSync(binary)) return;
    requireCommand(
      'go',
      ['version'],
      'build FerretDB (the MongoDB-compatible store) from the Go module proxy',
    );
    fs.mkdirSync(path.dirname(binary), { recursive: true });
    await runToCompletion('go', ['build', '-trimpath', '-o', `${binary}.tmp`, '.'], {
      cwd: this.sourceDir,
      logFile: path.join(this.config.home, 'logs', 'ferretdb-build.log'),
      // modernc.org/sqlite is pure Go: no C toolchain needed.
      env: { ...process.env, CGO_ENABLED: '0' },
    });
    fs.renameSync(`${binary}.tmp`, binary);
  }

  /** Where the configured backend keeps the data, for messages and `status`. */
  get store(): string {
    return this.config.store.backend === 'postgres' ? this.postgresUrl : this.config.ferretdb.dataDir;
  }

  /** The backend the running process uses; undefined when none runs. */
  runningBackend(): StoreBackend | undefined {
    if (!this.daemon.isRunning()) return undefined;
    let recorded = '';
    try {
      recorded = fs.readFileSync(this.backendFile, 'utf8').trim();
    } catch {
      // A process started before backends were selectable: those ran SQLite only.
    }
    return STORE_BACKENDS.find((backend) => backend === recorded) ?? 'sqlite';
  }

  /**
   * Starts on the configured backend. One that already runs on the other backend is an error rather than a
   * no-op: the two keep separate data, and tests or services would silently see the wrong set.
   */
  async start(): Promise<'started' | 'already-running'> {
    const running = this.runningBackend();
    if (running !== undefined) {
      this.requireBackend(running);
      return 'already-running';
    }
    await requireFreePort(this.config.ferretdb.port, 'FERRETDB_PORT', 'FerretDB');
    const listen = `--listen-addr=127.0.0.1:${this.config.ferretdb.port}`;
    const backend = this.config.store.backend;
    if (backend === 'postgres') {
      this.daemon.start(this.binary, [
        listen,
        '--handler=postgresql',
        `--postgresql-url=${this.postgresUrl}?pool_max_conns=${FERRETDB_POSTGRES_POOL}`,
      ]);
    } else {
      fs.mkdirSync(this.config.ferretdb.dataDir, { recursive: true });
      this.daemon.start(this.binary, [listen, `--data-dir=${this.config.ferretdb.dataDir}`]);
    }
    fs.writeFileSync(this.backendFile, backend);
    return 'started';
  }

  /** Fails, naming the fix, when the running FerretDB's backend is not the configured one. */
  requireBackend(running: StoreBackend): void {
    const wanted = this.config.store.backend;
    if (running === wanted) return;
    throw new Error(
      `FerretDB on ${this.uri} already runs on the ${running} backend, but STORE_BACKEND=${wanted}. ` +
        `The two keep separate data; run \`npm run infra -- down\`, then \`up\` again with STORE_BACKEND=${wanted} ` +
        `(or keep STORE_BACKEND=${running}).`,
    );
  }

  /** Ready means the server answers a `ping` command. */
  async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    await waitUntil(
      `FerretDB on ${this.uri}`,
      () => this.answers(),
      timeoutMs,
      () => this.daemon.assertAlive(),
    );
  }

  async answers(): Promise<boolean> {
    const client = new MongoClient(this.uri, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
    try {
      await client.connect();
      const reply = await client.db('admin').command({ ping: 1 });
      return reply.ok === 1;
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  async stop(): Promise<boolean> {
    const stopped = await this.daemon.stop(10_000);
    fs.rmSync(this.backendFile, { force: true });
    return stopped;
  }
}
