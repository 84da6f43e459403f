import path from 'node:path';
import { connectionEnv, defaultKafkaVersion, loadInfraConfig } from './infra-config';
import { requireCommand, requireFreePort } from './host-tools';
import net from 'node:net';

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
