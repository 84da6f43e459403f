/**
 * `npm run infra -- <up|down|status|prepare|env>`: the local Kafka broker and FerretDB (with
 * STORE_BACKEND=postgres, on a local PostgreSQL), and beside them the Kafka lag exporter, Prometheus and
 * Alertmanager. Ports and folders come from KAFKA_PORT, KAFKA_CONTROLLER_PORT, FERRETDB_PORT, POSTGRES_PORT,
 * LAG_EXPORTER_PORT, PROMETHEUS_PORT, ALERTMANAGER_PORT, INFRA_HOME, KAFKA_DATA_DIR, FERRETDB_DATA_DIR,
 * POSTGRES_DATA_DIR, POSTGRES_BIN_DIR and KAFKA_VERSION; alerts go to ALERT_WEBHOOK_URL (bearer
 * ALERT_WEBHOOK_TOKEN).
 */
import { LocalInfra } from './infra/local-infra';

const USAGE = 'usage: npm run infra -- <up|down|status|prepare|env>';

async function main(command: string | undefined): Promise<number> {
  const infra = new LocalInfra();
  const log = (line: string) => console.log(`infra: ${line}`);
  switch (command) {
    case 'up': {
      const started = Date.now();
      await infra.up(log);
      log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      for (const [name, value] of Object.entries(infra.connection)) log(`${name}=${value}`);
      log(`Prometheus:   ${infra.prometheus.url}  (alerts: ${infra.prometheus.url}/alerts)`);
      log(`Alertmanager: ${infra.alertmanager.url}`);
      log(`Kafka lag:    ${infra.lagExporter.metricsUrl}`);
      return 0;
    }
    case 'down':
      await infra.down(log);
      return 0;
    case 'prepare':
      await infra.prepare(log);
      log(
        `kafka jars fetched, ferretdb and the lag exporter built, prometheus and alertmanager found${infra.config.store.backend === 'postgres' ? ', postgresql found' : ''}`,
      );
      return 0;
    case 'status': {
      const status = await infra.status();
      console.log(JSON.stringify(status, null, 2));
      // 0 only when this checkout's own broker and store, on the configured backend, are up and answering.
      const storeUp =
        status.ferretdb.running &&
        status.ferretdb.answering &&
        !status.ferretdb.mismatch &&
        (status.ferretdb.backend !== 'postgres' || (status.postgres.running && status.postgres.answering));
      const monitoringUp = [status.lagExporter, status.prometheus, status.alertmanager].every(
        (server) => server.running && server.answering,
      );
      return status.kafka.running && status.kafka.answering && storeUp && monitoringUp ? 0 : 1;
    }
    case 'env':
      for (const [name, value] of Object.entries(infra.connection)) console.log(`export ${name}=${value}`);
      // Informational for the applications (they see only MONGODB_URI), and keeps later infra commands in
      // this shell on the backend that runs.
      console.log(`export STORE_BACKEND=${infra.storeBackend}`);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`infra: ${error.message}`);
    process.exit(1);
  },
);
