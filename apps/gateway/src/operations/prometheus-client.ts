import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { GatewayEnvironment } from '../config/gateway-environment';
import { PromAlert, PromSample } from './operations-view';

/** A person waits for the operations screen: a Prometheus slower than this is as good as down. */
const PROMETHEUS_TIMEOUT_MS = 3_000;

/**
 * Prometheus's HTTP API, read-only: instant queries (/api/v1/query) and the alerts its rules hold
 * (/api/v1/alerts). Any failure to get an answer is a 503 naming Prometheus, so a caller can tell "Prometheus
 * is down" from a fault of the gateway.
 */
@Injectable()
export class PrometheusClient {
  readonly baseUrl: string;

  constructor(config: ConfigService<GatewayEnvironment, true>) {
    this.baseUrl = config.get('PROMETHEUS_URL', { infer: true }).replace(/\/$/, '');
  }

  async query(expr: string): Promise<PromSample[]> {
    const data = await this.get<{ resultType: string; result: PromSample[] }>(
      `/api/v1/query?query=${encodeURIComponent(expr)}`,
    );
    if (data.resultType !== 'vector') {
      throw this.unavailable(`answered a ${data.resultType} where an instant vector was asked for`);
    }
    return data.result;
  }

  async alerts(): Promise<PromAlert[]> {
    return (await this.get<{ alerts: PromAlert[] }>('/api/v1/alerts')).alerts;
  }

  private async get<T>(path: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(PROMETHEUS_TIMEOUT_MS),
      });
    } catch (error) {
      const cause =
        (error as Error).name === 'TimeoutError'
          ? `no answer in ${PROMETHEUS_TIMEOUT_MS} ms`
          : (error as Error).message;
      throw this.unavailable(`did not answer (${cause})`);
    }
    const body = (await response.json().catch(() => undefined)) as
      | { status?: string; data?: T; error?: string }
      | undefined;
    if (!response.ok || body?.status !== 'success' || body.data === undefined) {
      throw this.unavailable(`answered ${response.status}${body?.error ? `: ${body.error}` : ''}`);
    }
    return body.data;
  }

  private unavailable(what: string): ServiceUnavailableException {
    return new ServiceUnavailableException({
      message: `Prometheus at ${this.baseUrl} ${what}`,
      code: 'prometheus-unavailable',
    });
  }
}
