import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { consumedTraceCarrier, traceHeaders, tracingActive, withConsumerSpan } from './trace-context';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

/** The headers an upstream producer span would have put on its message. */
function producedBy(name: string) {
  const span = trace.getTracer('upstream').startSpan(name);
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  span.end();
  return { span: span.spanContext(), headers: { traceparent: Buffer.from(headers.traceparent) } };
}

const parentOf = (traceparent: string) => traceparent.split('-')[2];

describe('trace context across Kafka', () => {
  it('does nothing while no tracing SDK is registered', async () => {
    expect(tracingActive()).toBe(false);
    expect(traceHeaders('decision.scored.v1', undefined, undefined)).toBeUndefined();
    expect(await withConsumerSpan({ topic: 't', groupId: 'g', attempt: 1 }, [], async () => 7)).toBe(7);
    provider.register();
    expect(tracingActive()).toBe(true);
  });

  it('runs a one-event handler as a child of the producer, and its outputs as children of the handler', async () => {
    const upstream = producedBy('gateway request');
    const headers = await withConsumerSpan(
      { topic: 'decision.proposed.v1', groupId: 'scoring', attempt: 1 },
      [{ eventId: 'e1', decisionId: 'd1', headers: upstream.headers }],
      async () => traceHeaders('decision.scored.v1', 'e1', undefined)!,
    );
    const handler = exporter.getFinishedSpans().find((s) => s.name === 'decision.proposed.v1 process')!;
    expect(handler.spanContext().traceId).toBe(upstream.span.traceId);
    expect(handler.parentSpanContext?.spanId).toBe(upstream.span.spanId);
    expect(handler.attributes['oversight.decision_id']).toBe('d1');
    expect(headers.traceparent).toContain(upstream.span.traceId);
    expect(parentOf(headers.traceparent)).toBe(handler.spanContext().spanId);
  });

  it('links a batch to each event and keeps each output in its own cause’s trace', async () => {
    exporter.reset();
    const first = producedBy('first');
    const second = producedBy('second');
    const [out1, out2, stored] = await withConsumerSpan(
      { topic: 'decision.scored.v1', groupId: 'routing', attempt: 1 },
      [
        { eventId: 'a', headers: first.headers },
        { eventId: 'b', headers: second.headers },
      ],
      async () => [
        traceHeaders('action.approved.v1', 'a', undefined)!,
        traceHeaders('review.requested.v1', 'b', undefined)!,
        consumedTraceCarrier('b')!,
      ],
    );
    const batch = exporter.getFinishedSpans().find((s) => s.name === 'decision.scored.v1 process')!;
    expect(batch.links.map((l) => l.context.spanId)).toEqual([first.span.spanId, second.span.spanId]);
    expect(out1.traceparent).toContain(first.span.traceId);
    expect(out2.traceparent).toContain(second.span.traceId);
    expect(stored.traceparent).toBe(out2.traceparent);
  });

  it('continues a stored trace in a closed publish span linked to the span publishing it now', () => {
    exporter.reset();
    const stored = { traceparent: producedBy('review requested').headers.traceparent.toString() };
    const person = trace.getTracer('http').startSpan('POST approve');
    const headers = context.with(trace.setSpan(context.active(), person), () =>
      traceHeaders('action.approved.v1', 'r1', stored),
    )!;
    person.end();
    const publish = exporter.getFinishedSpans().find((s) => s.name === 'action.approved.v1 publish')!;
    expect(publish.spanContext().traceId).toBe(stored.traceparent.split('-')[1]);
    expect(publish.parentSpanContext?.spanId).toBe(parentOf(stored.traceparent));
    expect(publish.links.map((l) => l.context.spanId)).toEqual([person.spanContext().spanId]);
    expect(parentOf(headers.traceparent)).toBe(publish.spanContext().spanId);
  });
});
