import path from 'node:path';
import { connectionEnv, defaultKafkaVersion, loadInfraConfig } from './infra-config';
import { requireCommand, requireFreePort } from './host-tools';
import net from 'node:net';
import { PostgresServer } from './postgres-server';

describe('loadInfraConfig', () => {
  it('defaults to the standard ports and a git-ignored .infra folder', () => {
    const config = loadInfraConfig({});
    expect(config.kafka).toMatchObject({ port: 9092, controllerPort: 9093, version: defaultKafkaVersion() });
    expect(defaultKafkaVersion()).toMatch(/^4\.\d+\.\d+$/);
    expect(config.ferretdb.port).toBe(27017);
    expect(config.home).toBe(path.join(config.workspaceRoot, '.infra'));
    expect(connectionEnv(config)).toEqual({
      KAFKA_BROKERS: '127.0.0.1:9092',
      MONGODB_URI: 'mongodb://127.0.0.1:27017/oversight',
    });
  });

  it('takes ports and folders from the environment', () => {
    const config = loadInfraConfig({ KAFKA_PORT: '19092', FERRETDB_PORT: '37017', INFRA_HOME: '/tmp/x' });
    expect(connectionEnv(config)).toEqual({
      KAFKA_BROKERS: '127.0.0.1:19092',
      MONGODB_URI: 'mongodb://127.0.0.1:37017/oversight',
    });
    expect(config.kafka.dataDir).toBe('/tmp/x/data/kafka');
  });

  it('refuses a Kafka version the local set-up cannot run', () => {
    expect(() => loadInfraConfig({ KAFKA_VERSION: '3.9.1' })).toThrow(
      'KAFKA_VERSION=3.9.1 is not supported: the local broker set-up is for Kafka 4.x',
    );
  });

  it('runs FerretDB on PostgreSQL unless told otherwise', () => {
    const config = loadInfraConfig({ INFRA_HOME: '/tmp/x' });
    expect(config.store.backend).toBe('postgres');
    expect(config.ferretdb.dataDir).toBe('/tmp/x/data/ferretdb');
    expect(config.postgres).toEqual({
      port: 5433,
      dataDir: '/tmp/x/data/postgres',
      dataDirGiven: false,
      binDir: undefined,
      database: 'ferretdb',
    });
  });

  it('takes the postgres port and folders from the environment, and selects SQLite when asked', () => {
    expect(loadInfraConfig({ STORE_BACKEND: 'sqlite' }).store.backend).toBe('sqlite');
    const config = loadInfraConfig({
      POSTGRES_PORT: '5499',
      POSTGRES_DATA_DIR: '/srv/pg',
      POSTGRES_BIN_DIR: '/opt/pg/bin',
      FERRETDB_PORT: '37017',
    });
    expect(config.store.backend).toBe('postgres');
    expect(config.postgres).toMatchObject({ port: 5499, dataDir: '/srv/pg', binDir: '/opt/pg/bin' });
    // Applications still see only a mongodb:// URI.
    expect(connectionEnv(config).MONGODB_URI).toBe('mongodb://127.0.0.1:37017/oversight');
  });

  it.each(['mysql', 'postgresql', 'SQLite', 'pg'])(
    'refuses STORE_BACKEND=%s, naming the choices',
    (backend) => {
      expect(() => loadInfraConfig({ STORE_BACKEND: backend })).toThrow(
        `STORE_BACKEND=${backend} is not supported: use sqlite or postgres`,
      );
    },
  );

  it('rejects an invalid POSTGRES_PORT with the variable named', () => {
    expect(() => loadInfraConfig({ POSTGRES_PORT: '5432x' })).toThrow(
      'POSTGRES_PORT=5432x is not a valid TCP port',
    );
  });

  it.each(['0', '70000', 'abc', '9092.5'])('rejects KAFKA_PORT=%s with the variable named', (port) => {
    expect(() => loadInfraConfig({ KAFKA_PORT: port })).toThrow(`KAFKA_PORT=${port} is not a valid TCP port`);
  });
});

describe('host checks', () => {
  it('names a missing tool and what it is needed for', () => {
    expect(() => requireCommand('no-such-tool-xyz', ['--version'], 'build FerretDB')).toThrow(
      '`no-such-tool-xyz` was not found on PATH; it is needed to build FerretDB',
    );
  });

  it('says where PostgreSQL was looked for and how to install it when the postgres backend cannot find it', async () => {
    const config = loadInfraConfig({ STORE_BACKEND: 'postgres', POSTGRES_BIN_DIR: '/no/such/pg/bin' });
    await expect(new PostgresServer(config).prepare()).rejects.toThrow(
      "PostgreSQL's `postgres` was not found in /no/such/pg/bin; it is needed for STORE_BACKEND=postgres. " +
        'Install it with `apt-get install -y postgresql-15`',
    );
  });

  it('names a taken port and the variable that moves it', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await expect(requireFreePort(port, 'FERRETDB_PORT', 'FerretDB')).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already taken by another process, so FerretDB cannot start there. Stop that process or choose another port with FERRETDB_PORT=<port>.`,
      );
    } finally {
      server.close();
    }
  });
});
