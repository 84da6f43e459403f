import { LocalInfra } from '../infra/local-infra';
import { storeCommandLogDir } from '../store-command-log';

/**
 * Global setup of every integration and end-to-end ring: makes sure the real broker and store answer, then
 * hands their addresses to the test workers through KAFKA_BROKERS and MONGODB_URI.
 *
 * By default it starts the local infra (a no-op when it is already up; the test command stops it at the end).
 * With USE_EXTERNAL_INFRA=1 it starts nothing and tests whatever KAFKA_BROKERS and MONGODB_URI point at, e.g.
 * the docker-compose stack.
 *
 * Every service the ring starts records its store queries (STORE_COMMAND_LOG, inherited by the processes it
 * spawns) for the store access check that runs after the ring (e2e/store-access).
 */
export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  process.env.STORE_COMMAND_LOG = storeCommandLogDir();
  // The suites poll the gateway as fast as they can with one token: machines, not people. The gateway's
  // abuse tests set their own limits.
  process.env.RATE_LIMIT_PER_USER ??= '100000';
  process.env.RATE_LIMIT_PER_SERVICE ??= '100000';
  if (process.env.USE_EXTERNAL_INFRA === '1') {
    if (!process.env.KAFKA_BROKERS || !process.env.MONGODB_URI) {
      throw new Error('USE_EXTERNAL_INFRA=1 needs KAFKA_BROKERS and MONGODB_URI to be set');
    }
    return;
  }
  const infra = new LocalInfra();
  await infra.up();
  Object.assign(process.env, infra.connection);
}
