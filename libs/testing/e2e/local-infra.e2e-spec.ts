import fs from 'node:fs';
import { LocalInfra } from '../src';

/** The test rings' own foundation: real server processes, not stand-ins, answering on the configured ports. */
describe('local infrastructure', () => {
  const infra = new LocalInfra();
  const commandLine = (pid: number) =>
    fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();

  const onPostgres = infra.config.store.backend === 'postgres';

  it('runs a real Kafka broker (kafka.Kafka on the JVM) and a real FerretDB process on the configured backend', () => {
    const kafkaPid = infra.kafka.daemon.pid();
    const ferretPid = infra.ferretdb.daemon.pid();
    if (process.env.USE_EXTERNAL_INFRA === '1') return expect(kafkaPid).toBeUndefined();
    expect(kafkaPid).toBeDefined();
    expect(ferretPid).toBeDefined();
    expect(commandLine(kafkaPid!)).toMatch(/^java .* kafka\.Kafka .*server-[0-9a-f]+\.properties$/);
    expect(commandLine(ferretPid!)).toMatch(
      onPostgres
        ? /\/ferretdb-[0-9a-f]+ --listen-addr=127\.0\.0\.1:\d+ --handler=postgresql --postgresql-url=postgres:\/\/ferretdb@127\.0\.0\.1:\d+\/ferretdb\?pool_max_conns=\d+$/
        : /\/ferretdb-[0-9a-f]+ --listen-addr=127\.0\.0\.1:\d+ --data-dir=/,
    );
    const postgresPid = infra.postgres.daemon.pid();
    if (!onPostgres) return;
    expect(commandLine(postgresPid!)).toMatch(/\/bin\/postgres -D .* -c listen_addresses=127\.0\.0\.1 /);
  });

  it('reports both as answering: a Kafka metadata request and a MongoDB ping succeed', async () => {
    const status = await infra.status();
    expect(status.kafka).toMatchObject({ answering: true, address: process.env.KAFKA_BROKERS });
    expect(status.ferretdb).toMatchObject({ answering: true, backend: infra.config.store.backend });
    expect(status.ferretdb.mismatch).toBeUndefined();
    if (onPostgres) expect(status.postgres).toMatchObject({ running: true, answering: true });
  });

  it('treats a second `up` as a no-op', async () => {
    const pids = () => [
      infra.kafka.daemon.pid(),
      infra.ferretdb.daemon.pid(),
      infra.postgres.daemon.pid(),
      infra.lagExporter.daemon.pid(),
      infra.prometheus.daemon.pid(),
      infra.alertmanager.daemon.pid(),
    ];
    const before = pids();
    const lines: string[] = [];
    await infra.up((line) => lines.push(line));
    expect(pids()).toEqual(before);
    expect(lines.filter((l) => l.includes('already-running'))).toHaveLength(onPostgres ? 6 : 5);
  });
});
