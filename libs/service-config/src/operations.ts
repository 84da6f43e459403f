import { LoggerService } from '@nestjs/common';
import {
  DEFAULT_METRICS_PORTS,
  OperationsListener,
  setMetricsService,
  startOperationsListener,
} from '@oversight/observability';
import { CommonEnvironment } from './common-environment';
import { validateEnvironment } from './validate-environment';

/** The service's environment, with its own operations listener port as the default for METRICS_PORT. */
export function serviceEnvironment<E extends CommonEnvironment>(name: string, environment: new () => E): E {
  const port = DEFAULT_METRICS_PORTS[name];
  const raw = port === undefined ? process.env : { METRICS_PORT: String(port), ...process.env };
  return validateEnvironment(environment)(raw);
}

/**
 * Starts the service's operations listener and says where ("metrics on http://HOST:PORT/metrics", which tests
 * read). Ready once the app is initialised (its consumers run), not ready from the first shutdown signal on.
 */
export async function startOperations(
  name: string,
  env: CommonEnvironment,
  logger: LoggerService,
): Promise<OperationsListener> {
  setMetricsService(name);
  const listener = await startOperationsListener(env.METRICS_HOST, env.METRICS_PORT);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => listener.markStopping());
  logger.log(`metrics on ${listener.metricsUrl}`);
  return listener;
}
