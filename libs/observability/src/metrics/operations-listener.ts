import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { register } from 'prom-client';
import { PlatformService } from '@oversight/contracts';
import { enableDefaultMetrics } from './platform-metrics';

/** Each service's operations listener port when METRICS_PORT is not set (`0` asks for an ephemeral one). */
export const DEFAULT_METRICS_PORTS: Readonly<Record<PlatformService, number>> = {
  scoring: 9464,
  routing: 9465,
  escalation: 9466,
  audit: 9467,
  learning: 9468,
  gateway: 9469,
  'demo-executor': 9470,
};

export interface OperationsListener {
  /** `http://HOST:PORT/metrics`, as logged. */
  readonly metricsUrl: string;
  /** Once the service's consumers run and its app is initialised: `/health/ready` answers 200. */
  markReady(): void;
  /** From the start of shutdown: `/health/ready` answers 503 so nothing waits on a stopping service. */
  markStopping(): void;
  close(): Promise<void>;
}

/**
 * The service's small HTTP listener for Prometheus and health checks, apart from any API: `GET /metrics`,
 * `/health/live` (the process answers) and `/health/ready` (started and not stopping). It does not keep the
 * process alive, and a failure to collect answers 500 without touching the service.
 */
export async function startOperationsListener(host: string, port: number): Promise<OperationsListener> {
  enableDefaultMetrics();
  let state: 'starting' | 'ready' | 'stopping' = 'starting';
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const answer = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'GET only\n');
    if (path === '/metrics') {
      register.metrics().then(
        (text) => answer(200, text, register.contentType),
        (error: Error) => answer(500, `metrics could not be collected: ${error.message}\n`),
      );
      return;
    }
    if (path === '/health/live') return answer(200, 'live\n');
    if (path === '/health/ready')
      return state === 'ready' ? answer(200, 'ready\n') : answer(503, `${state}\n`);
    answer(404, 'not found: /metrics, /health/live and /health/ready are served here\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    metricsUrl: `http://${shownHost}:${address.port}/metrics`,
    markReady: () => {
      if (state === 'starting') state = 'ready';
    },
    markStopping: () => {
      state = 'stopping';
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
