import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Daemon, waitUntil } from './daemon';
import { requireFreePort, runToCompletion } from './host-tools';
import { InfraConfig, POSTGRES_MAX_CONNECTIONS } from './infra-config';

/** Where Debian's postgresql-NN packages put the server's programs. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
/** Where clusters go whose workspace the `postgres` OS user cannot reach (see clusterDir). */
const POSTGRES_FALLBACK_ROOT = '/var/tmp/oversight-postgres';
/** The cluster's superuser, whatever OS user runs it; FerretDB connects as this role. */
const ROLE = 'ferretdb';

/**
 * A PostgreSQL server of its own, the store under FerretDB when STORE_BACKEND=postgres: a cluster initdb
 * creates on first use, listening on 127.0.0.1 only (no Unix socket, so it never meets a system PostgreSQL's),
 * trust authentication. PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user that
 * Debian's package creates.
 */
export class PostgresServer {
  readonly daemon: Daemon;
  /** Where the cluster lives (see clusterDir). */
  readonly dataDir: string;

  constructor(private readonly config: InfraConfig) {
    this.dataDir = this.clusterDir();
    this.daemon = new Daemon(
      'PostgreSQL',
      path.join(config.home, 'run', 'postgres.pid'),
      path.join(config.home, 'logs', 'postgres.out'),
      `-D ${this.dataDir}`,
      // SIGTERM is the "smart" shutdown that waits for every client to leave.
      'SIGINT',
    );
  }

  /** The connection FerretDB's postgresql handler uses. */
  get url(): string {
    return `postgres://${ROLE}@127.0.0.1:${this.config.postgres.port}/${this.config.postgres.database}`;
  }

  /** Checks, before anything starts, that the server's programs and (as root) its OS user are there. */
  async prepare(): Promise<void> {
    this.binary('postgres');
    this.runAs();
  }

  async start(): Promise<'started' | 'already-running'> {
    if (this.daemon.isRunning()) return 'already-running';
    await requireFreePort(this.config.postgres.port, 'POSTGRES_PORT', 'PostgreSQL');
    const runAs = this.runAs();
    await this.initialize(runAs);
    const { port } = this.config.postgres;
    const dataDir = this.dataDir;
    this.daemon.start(
      this.binary('postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        `max_connections=${POSTGRES_MAX_CONNECTIONS}`,
      ],
      process.env,
      { ...runAs, cwd: dataDir },
    );
    return 'started';
  }

  /** Ready means the server accepts connections and FerretDB's database exists (created on first start). */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    await waitUntil(
      `PostgreSQL on 127.0.0.1:${this.config.postgres.port}`,
      () => this.answers(),
      timeoutMs,
      () => this.daemon.assertAlive(),
    );
    await this.ensureDatabase();
    await this.indexDocumentIds();
  }

  async answers(): Promise<boolean> {
    const { code } = await this.client('pg_isready', ['-d', 'postgres']);
    return code === 0;
  }

  stop(): Promise<boolean> {
    return this.daemon.stop(20_000);
  }

  /** initdb into the data dir once; a data dir that holds a cluster already is used as it is. */
  private async initialize(runAs: OsUser | undefined): Promise<void> {
    const dataDir = this.dataDir;
    if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
    fs.mkdirSync(dataDir, { recursive: true });
    if (fs.readdirSync(dataDir).length > 0) {
      throw new Error(
        `${dataDir} is neither empty nor a PostgreSQL data dir, so initdb cannot create the cluster there. ` +
          'Empty it or choose another folder with POSTGRES_DATA_DIR=<dir>.',
      );
    }
    if (runAs) {
      fs.chownSync(dataDir, runAs.uid, runAs.gid);
      // PostgreSQL needs every parent folder to be searchable by its user, which a root-only home is not.
      const probe = spawnSync('test', ['-w', dataDir], runAs);
      if (probe.status !== 0) {
        throw new Error(
          `the postgres OS user cannot reach ${dataDir} (a parent folder is closed to other users). ` +
            'Choose a data dir it can reach with POSTGRES_DATA_DIR=<dir> (or INFRA_HOME), e.g. under /tmp or /var/lib.',
        );
      }
    }
    fs.chmodSync(dataDir, 0o700);
    await runToCompletion(
      this.binary('initdb'),
      [
        '-D',
        dataDir,
        `--username=${ROLE}`,
        '--auth=trust',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      {
        ...runAs,
        cwd: dataDir,
        logFile: path.join(this.config.home, 'logs', 'postgres-initdb.log'),
      },
    );
  }

  /**
   * Runs SQL with psql in a database of this server (FerretDB's by default) and returns the rows, one line
   * each, columns separated by `|`. For looking under FerretDB, e.g. at a collection's table and its plans.
   */
  async sql(statement: string, database = this.config.postgres.database): Promise<string> {
    const { code, output } = await this.client('psql', [
      '-X',
      '-v',
      'ON_ERROR_STOP=1',
      '-d',
      database,
      '-tAc',
      statement,
    ]);
    if (code !== 0) throw new Error(`psql on ${this.url} failed (${statement}): ${output.trim()}`);
    return output.trim();
  }

  private async ensureDatabase(): Promise<void> {
    const { database } = this.config.postgres;
    const exists = await this.sql(`SELECT 1 FROM pg_database WHERE datname = '${database}'`, 'postgres');
    if (exists === '1') return;
    const created = await this.client('createdb', [database]);
    if (created.code !== 0) {
      throw new Error(`could not create the PostgreSQL database ${database}: ${created.output}`);
    }
  }

  /**
   * Makes FerretDB's exact `_id` lookups index lookups. FerretDB v1 pushes `{_id: x}` down as
   * `_jsonb -> '_id' @> x`, which its own btree `_id` index cannot serve, so every lookup (and every update and
   * delete, which look their documents up first) read the whole table. A GIN `jsonb_path_ops` index on
   * `_jsonb -> '_id'` serves `@>`: an event trigger adds one to each table FerretDB creates, existing tables get
   * theirs here, and custom plans are forced because FerretDB passes the key as a parameter, which a generic
   * plan cannot match to the index expression. Idempotent; runs at every start.
   */
  private async indexDocumentIds(): Promise<void> {
    const { database } = this.config.postgres;
    await this.sql(`ALTER DATABASE ${database} SET plan_cache_mode = force_custom_plan`, 'postgres');
    await this.sql(`
      CREATE OR REPLACE FUNCTION oversight_index_document_id(target regclass) RETURNS void
      LANGUAGE plpgsql AS $fn$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = target AND attname = '_jsonb' AND NOT attisdropped)
           AND NOT EXISTS (
             SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = target AND c.relname LIKE '%_id_gin')
        THEN
          EXECUTE format('CREATE INDEX %I ON %s USING gin ((_jsonb -> %L) jsonb_path_ops)',
            left((SELECT relname FROM pg_class WHERE oid = target), 55) || '_id_gin', target, '_id');
        END IF;
      END $fn$;
      CREATE OR REPLACE FUNCTION oversight_index_new_table() RETURNS event_trigger
      LANGUAGE plpgsql AS $fn$
      DECLARE created record;
      BEGIN
        FOR created IN SELECT objid FROM pg_event_trigger_ddl_commands()
                       WHERE command_tag = 'CREATE TABLE' AND object_type = 'table' LOOP
          PERFORM oversight_index_document_id(created.objid::regclass);
        END LOOP;
      END $fn$;
      DROP EVENT TRIGGER IF EXISTS oversight_index_new_table;
      CREATE EVENT TRIGGER oversight_index_new_table ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
        EXECUTE FUNCTION oversight_index_new_table();
      SELECT oversight_index_document_id(c.oid::regclass) FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema');
    `);
  }

  /** Runs one of PostgreSQL's client programs against this server, over TCP as the cluster's role. */
  private client(program: string, args: string[]): Promise<{ code: number | null; output: string }> {
    const connection = ['-h', '127.0.0.1', '-p', String(this.config.postgres.port), '-U', ROLE];
    return new Promise((resolve) => {
      const child = spawn(this.binary(program), [...connection, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', (error) => resolve({ code: null, output: error.message }));
      child.once('close', (code) => resolve({ code, output }));
    });
  }

  /** A program of the PostgreSQL server: from POSTGRES_BIN_DIR, else the newest Debian postgresql-NN. */
  private binary(program: string): string {
    const binDir = this.config.postgres.binDir ?? newestDebianBinDir();
    const file = binDir && path.join(binDir, program);
    if (!file || !fs.existsSync(file)) {
      throw new Error(
        `PostgreSQL's \`${program}\` was not found ${binDir ? `in ${binDir}` : `under ${DEBIAN_POSTGRES_ROOT}/*/bin`}; ` +
          'it is needed for STORE_BACKEND=postgres. Install it with `apt-get install -y postgresql-15` ' +
          '(scripts/setup.sh does so as root), or point POSTGRES_BIN_DIR at the folder holding initdb and postgres.',
      );
    }
    return file;
  }

  /** As root, the `postgres` OS user's ids (PostgreSQL will not run as root); otherwise this process's user. */
  /**
   * The data dir: POSTGRES_DATA_DIR as given, else .infra/data/postgres. Run as root, PostgreSQL runs as the
   * `postgres` OS user, who cannot reach a workspace inside a folder closed to others (a clone in a fresh
   * `mktemp -d` folder is one): the cluster then lives in a folder of its own under /var/tmp, named after the
   * workspace, so two checkouts never share one.
   */
  private clusterDir(): string {
    const { dataDir, dataDirGiven } = this.config.postgres;
    if (dataDirGiven || process.getuid?.() !== 0) return dataDir;
    let nearest = path.dirname(dataDir);
    while (!fs.existsSync(nearest)) nearest = path.dirname(nearest);
    let user: OsUser | undefined;
    try {
      user = this.runAs();
    } catch {
      // No postgres OS user: starting fails later with the message that says so.
      return dataDir;
    }
    // access(2) needs search permission on every folder above, so this fails for a closed parent too.
    if (!user || spawnSync('test', ['-x', nearest], user).status === 0) return dataDir;
    const name = createHash('sha1').update(dataDir).digest('hex').slice(0, 12);
    fs.mkdirSync(POSTGRES_FALLBACK_ROOT, { recursive: true, mode: 0o755 });
    return path.join(POSTGRES_FALLBACK_ROOT, name);
  }

  private runAs(): OsUser | undefined {
    if (process.getuid?.() !== 0) return undefined;
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) {
      throw new Error(
        'PostgreSQL refuses to run as root and there is no `postgres` OS user to run it as. ' +
          'Install postgresql-15 (its package creates the user) or run as a normal user.',
      );
    }
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
}

interface OsUser {
  uid: number;
  gid: number;
}

function newestDebianBinDir(): string | undefined {
  let versions: string[];
  try {
    versions = fs.readdirSync(DEBIAN_POSTGRES_ROOT);
  } catch {
    return undefined;
  }
  const newest = versions
    .filter((version) => /^\d+$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .find((version) => fs.existsSync(path.join(DEBIAN_POSTGRES_ROOT, version, 'bin', 'postgres')));
  return newest && path.join(DEBIAN_POSTGRES_ROOT, newest, 'bin');
}
