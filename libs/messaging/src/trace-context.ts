import {
  context,
  Context,
  createContextKey,
  Link,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TextMapGetter,
} from '@opentelemetry/api';
import { IHeaders } from 'kafkajs';

/** A W3C trace context as it travels in Kafka headers and rests beside a stored task (a few dozen bytes). */
export interface TraceCarrier {
  traceparent: string;
  tracestate?: string;
}

/** A batch span links to at most this many messages: enough to follow a batch, bounded for a 500-event one. */
const MAX_BATCH_LINKS = 64;
/** tracestate may be up to 512 bytes by the spec; more is dropped rather than stored with a task. */
const MAX_TRACESTATE = 512;

const tracer = trace.getTracer('@oversight/messaging');

/** The consumed events' trace contexts by eventId, while a handler runs (see withConsumerSpan). */
const CONSUMED_CAUSES = createContextKey('oversight.consumed-causes');

const headerGetter: TextMapGetter<IHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    const one = Array.isArray(value) ? value[0] : value;
    return one === undefined ? undefined : one.toString();
  },
};

/**
 * Whether this process traces: the tracing SDK (@oversight/observability) registers a propagator before any
 * service code runs. Without it everything here returns at once, so an untraced service pays nothing.
 */
export function tracingActive(): boolean {
  return propagation.fields().length > 0;
}

/**
 * Runs one handler call inside a consumer span. One event: the span is a child of the producer's context, so
 * the decision's trace continues. Several (a fetched batch): the span links to each event's context (a batch
 * belongs to many traces), and each output is parented by its own cause (see traceHeaders).
 */
export async function withConsumerSpan<R>(
  where: { topic: string; groupId: string; attempt: number },
  consumed: readonly { eventId: string; decisionId?: string; headers?: IHeaders }[],
  work: () => Promise<R>,
): Promise<R> {
  if (!tracingActive()) return work();
  const causes = new Map<string, Context>();
  for (const { eventId, headers } of consumed) {
    causes.set(eventId, propagation.extract(ROOT_CONTEXT, headers ?? {}, headerGetter));
  }
  const parent = consumed.length === 1 ? [...causes.values()][0] : ROOT_CONTEXT;
  const links: Link[] = [];
  if (consumed.length > 1) {
    for (const cause of causes.values()) {
      const spanContext = trace.getSpanContext(cause);
      if (spanContext) links.push({ context: spanContext });
      if (links.length === MAX_BATCH_LINKS) break;
    }
  }
  const span = tracer.startSpan(
    `${where.topic} process`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': where.topic,
        'messaging.consumer.group.name': where.groupId,
        'messaging.batch.message_count': consumed.length,
        'oversight.attempt': where.attempt,
        // On a span (not a metric label) an id is what lets a person find a decision's trace.
        ...(consumed.length === 1 && consumed[0].decisionId
          ? { 'oversight.decision_id': consumed[0].decisionId }
          : {}),
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent.setValue(CONSUMED_CAUSES, causes), span), work);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * The context an output continues: inside a one-event handler call the consumer span; inside a batch the
 * consumed event it was caused by; otherwise whatever is active (an HTTP request, a timer's span, nothing).
 */
function parentFor(causationId: string | undefined): Context {
  const active = context.active();
  const causes = active.getValue(CONSUMED_CAUSES) as Map<string, Context> | undefined;
  if (!causes || causes.size === 1 || causationId === undefined) return active;
  return causes.get(causationId) ?? active;
}

/** The trace context of a consumed event, to store with what waits on it (a review task) and continue later. */
export function consumedTraceCarrier(eventId: string): TraceCarrier | undefined {
  if (!tracingActive()) return undefined;
  return toCarrier(parentFor(eventId));
}

function toCarrier(ctx: Context): TraceCarrier | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  if (!carrier.traceparent) return undefined;
  const { traceparent, tracestate } = carrier;
  return tracestate && tracestate.length <= MAX_TRACESTATE ? { traceparent, tracestate } : { traceparent };
}

/**
 * The W3C headers for an outgoing event (none when not tracing). An event that continues a stored trace (a
 * review's outcome, published when a person decides, perhaps days later) gets a short producer span in that
 * trace, linked to the span publishing it now (the person's request): nothing is held open across the wait.
 */
export function traceHeaders(
  topic: string,
  causationId: string | undefined,
  continues: TraceCarrier | undefined,
): Record<string, string> | undefined {
  if (!tracingActive()) return undefined;
  const headers: Record<string, string> = {};
  if (continues) {
    const stored = propagation.extract(ROOT_CONTEXT, continues);
    const now = trace.getSpanContext(context.active());
    const span = tracer.startSpan(
      `${topic} publish`,
      {
        kind: SpanKind.PRODUCER,
        links: now ? [{ context: now }] : [],
        attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic },
      },
      stored,
    );
    propagation.inject(trace.setSpan(stored, span), headers);
    span.end();
  } else {
    propagation.inject(parentFor(causationId), headers);
  }
  return headers;
}
