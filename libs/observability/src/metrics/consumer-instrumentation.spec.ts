import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { register } from 'prom-client';
import {
  countDeadLetter,
  instrumentConsumer,
  offsetLagOf,
  setMetricsService,
} from './consumer-instrumentation';

/** A consumer's event side, as kafkajs's instrumentation events reach it. */
function fakeConsumer() {
  const emitter = new EventEmitter();
  return {
    emitter,
    consumer: {
      events: { END_BATCH_PROCESS: 'consumer.end_batch_process' },
      on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener),
    } as unknown as Consumer,
  };
}

/** A sample's value; `series` names a histogram's _sum or _count. */
async function sample(name: string, labels: Record<string, string>, series = name) {
  const metric = await register.getSingleMetric(name)?.get();
  return metric?.values.find(
    (v) =>
      ((v as { metricName?: string }).metricName ?? name) === series &&
      Object.entries(labels).every(([k, value]) => (v.labels as Record<string, unknown>)[k] === value),
  )?.value;
}

describe('offsetLagOf', () => {
  it('reads the lag kafkajs reports, never below zero', () => {
    expect(offsetLagOf({ offsetLag: '42' })).toBe(42);
    expect(offsetLagOf({ offsetLag: '-1' })).toBe(0);
    expect(offsetLagOf({ offsetLag: 'not a number' })).toBe(0);
  });
});

describe('instrumentConsumer', () => {
  it('records batch duration, size and lag per group, topic and partition', async () => {
    const { emitter, consumer } = fakeConsumer();
    instrumentConsumer(consumer, 'spec-group');
    emitter.emit('consumer.end_batch_process', {
      payload: {
        topic: 'decision.scored.v1',
        partition: 3,
        highWatermark: '120',
        offsetLag: '19',
        batchSize: 100,
        duration: 250,
      },
    });
    expect(
      await sample('oversight_consumer_offset_lag', {
        group: 'spec-group',
        topic: 'decision.scored.v1',
        partition: '3',
      }),
    ).toBe(19);
    expect(
      await sample(
        'oversight_consumer_batch_size',
        { group: 'spec-group' },
        'oversight_consumer_batch_size_sum',
      ),
    ).toBe(100);
    expect(
      await sample(
        'oversight_consumer_batch_duration_seconds',
        { group: 'spec-group' },
        'oversight_consumer_batch_duration_seconds_sum',
      ),
    ).toBe(0.25);
  });

  it('updates the lag but observes no batch for a fetch with only a commit marker', async () => {
    const { emitter, consumer } = fakeConsumer();
    instrumentConsumer(consumer, 'spec-marker');
    emitter.emit('consumer.end_batch_process', {
      payload: { topic: 't', partition: 0, highWatermark: '5', offsetLag: '0', batchSize: 0, duration: 1 },
    });
    expect(await sample('oversight_consumer_offset_lag', { group: 'spec-marker' })).toBe(0);
    expect(
      await sample(
        'oversight_consumer_batch_size',
        { group: 'spec-marker' },
        'oversight_consumer_batch_size_count',
      ),
    ).toBeUndefined();
  });
});

describe('countDeadLetter', () => {
  it('counts by service, source topic and reason', async () => {
    setMetricsService('scoring');
    countDeadLetter('decision.proposed.v1', 'invalid-event');
    countDeadLetter('decision.proposed.v1', 'invalid-event');
    expect(
      await sample('oversight_dead_letters_total', {
        service: 'scoring',
        topic: 'decision.proposed.v1',
        reason: 'invalid-event',
      }),
    ).toBe(2);
  });
});
