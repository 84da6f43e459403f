import type { IncomingMessage } from 'node:http';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { storeStatement } from './store-statement';

/** Tracing is on exactly when an OTLP endpoint is configured (the OpenTelemetry variables, by their spec). */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) &&
    env.OTEL_SDK_DISABLED !== 'true'
  );
}

/** Scrapes and probes of the operations listener: a span each would drown the decisions' traces. */
const OPERATIONS_PATHS = /^\/(metrics|health)(\/|\?|$)/;

let provider: NodeTracerProvider | undefined;

/**
 * Starts tracing for a service, if an OTLP endpoint is configured; otherwise loads nothing and returns false.
 * Must run before NestJS, Express, the HTTP server, undici or the MongoDB driver is first required: the
 * instrumentations patch modules as they load (require hooks), and webpack leaves node_modules as plain
 * `require`s in dist/apps/<service>/main.js, so importing the service's `tracing.ts` first in main.ts is enough.
 */
export function startTracing(serviceName: string): boolean {
  if (provider || !tracingConfigured()) return false;
  // Required here, not imported: a service without an endpoint never loads the SDK (no memory, no start-up).
  const { NodeTracerProvider: Provider } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } =
    require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { UndiciInstrumentation } =
    require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  const { ExpressInstrumentation, ExpressLayerType } =
    require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { NestInstrumentation } =
    require('@opentelemetry/instrumentation-nestjs-core') as typeof import('@opentelemetry/instrumentation-nestjs-core');
  const { MongoDBInstrumentation } =
    require('@opentelemetry/instrumentation-mongodb') as typeof import('@opentelemetry/instrumentation-mongodb');

  const started = new Provider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || serviceName }),
    // Batched export (OTEL_BSP_* tune it): a span costs an append to a queue, never a request of its own.
    // The exporter sends OTLP/HTTP JSON to OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // Registers the W3C trace-context propagator and the AsyncLocalStorage context manager globally; the
  // sampler comes from OTEL_TRACES_SAMPLER (parent-based always-on by default).
  started.register();
  registerInstrumentations({
    tracerProvider: started,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => OPERATIONS_PATHS.test(request.url ?? ''),
        // Outgoing calls outside any request or message (e.g. a webhook sweep) would each start a lone trace.
        requireParentforOutgoingSpans: true,
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      // Route handlers only: a span per middleware (body parser, protection) costs more than it tells.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new NestInstrumentation(),
      // Store commands inside a request or a message only; timers' sweeps would each start a lone trace.
      new MongoDBInstrumentation({ requireParentSpan: true, dbStatementSerializer: storeStatement }),
    ],
  });
  provider = started;
  flushOnShutdownSignals(started);
  return true;
}

/**
 * Flushes the spans in hand when the service is told to stop. Nest's shutdown hooks close the app on the
 * first SIGTERM/SIGINT and raise the signal again to end the process; this listener lets that second one
 * through only once the flush is done, so the last spans reach the collector.
 */
function flushOnShutdownSignals(started: NodeTracerProvider): void {
  let flushed: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const first = flushed === undefined;
    flushed ??= started.shutdown().catch(() => undefined);
    if (first) return;
    void flushed.then(() => {
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
      process.kill(process.pid, signal);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
