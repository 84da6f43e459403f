import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { Daemon, waitUntil } from './daemon';
import { requireCommand, requireFreePort, runToCompletion } from './host-tools';
import { InfraConfig } from './infra-config';

/**
 * FerretDB v1 with its SQLite backend: a real server speaking the MongoDB wire protocol, built with `go` from
 * the small main module in deploy/local/ferretdb. Applications only see a mongodb:// URI.
 */
export class FerretDbServer {
  private readonly sourceDir: string;
  readonly daemon: Daemon;

  constructor(private readonly config: InfraConfig) {
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

  async start(): Promise<'started' | 'already-running'> {
    if (this.daemon.isRunning()) return 'already-running';
    await requireFreePort(this.config.ferretdb.port, 'FERRETDB_PORT', 'FerretDB');
    fs.mkdirSync(this.config.ferretdb.dataDir, { recursive: true });
    this.daemon.start(this.binary, [
      `--listen-addr=127.0.0.1:${this.config.ferretdb.port}`,
      `--data-dir=${this.config.ferretdb.dataDir}`,
    ]);
    return 'started';
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

  stop(): Promise<boolean> {
    return this.daemon.stop(10_000);
  }
}
