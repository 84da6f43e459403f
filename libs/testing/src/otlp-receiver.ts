import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as an OTLP/HTTP exporter sent it, flattened. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
  links: { traceId: string; spanId: string }[];
  attributes: Record<string, unknown>;
}

type OtlpAttribute = { key: string; value: Record<string, unknown> };

function valueOf(attributes: OtlpAttribute[] | undefined, key: string) {
  const value = attributes?.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
}

/**
 * A small OTLP/HTTP trace collector on a free loopback port: what the services' exporters POST to /v1/traces
 * (OTLP JSON, the encoding of @opentelemetry/exporter-trace-otlp-http). It keeps every span, flattened, or with
 * `keepSpans: false` (a benchmark, where decoding would compete for the CPU it measures) only counts exports.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  exports = 0;
  bytes = 0;
  private readonly server: Server;

  constructor(private readonly options: { keepSpans?: boolean } = {}) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method !== 'POST' || request.url !== '/v1/traces') {
          response.writeHead(404).end();
          return;
        }
        const raw = Buffer.concat(chunks);
        this.exports += 1;
        this.bytes += raw.length;
        if (this.options.keepSpans !== false) {
          this.keep(request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw);
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
  }

  /** Where to point OTEL_EXPORTER_OTLP_ENDPOINT. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private keep(json: Buffer): void {
    const body = JSON.parse(json.toString('utf8'));
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = String(valueOf(resourceSpans.resource?.attributes, 'service.name'));
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            name: span.name,
            kind: span.kind,
            links: (span.links ?? []).map((link: ReceivedSpan['links'][0]) => ({
              traceId: link.traceId,
              spanId: link.spanId,
            })),
            attributes: Object.fromEntries(
              (span.attributes ?? []).map((a: OtlpAttribute) => [a.key, valueOf([a], a.key)]),
            ),
          });
        }
      }
    }
  }
}
