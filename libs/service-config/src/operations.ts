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
  const port = (DEFAULT_METRICS_PORTS as Readonly<Record<string, number | undefined>>)[name];
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
  let listener: OperationsListener;
  try {
    listener = await startOperationsListener(env.METRICS_HOST, env.METRICS_PORT);
  } catch (error) {
    // Metrics are a diagnostic: a taken port leaves the service running without them, said loudly.
    logger.error(
      `metrics listener could not listen on ${env.METRICS_HOST}:${env.METRICS_PORT} (${(error as Error).message}); ` +
        'the service runs without /metrics and /health (set METRICS_PORT)',
    );
    return NO_LISTENER;
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => listener.markStopping());
  logger.log(`metrics on ${listener.metricsUrl}`);
  return listener;
}

const NO_LISTENER: OperationsListener = {
  metricsUrl: '',
  markReady: () => undefined,
  markStopping: () => undefined,
  close: async () => undefined,
};
