import type { Consumer } from 'kafkajs';
import { nameLabel } from './labels';
import { platformMetrics, safely } from './platform-metrics';

/** What kafkajs's END_BATCH_PROCESS event says about a batch (its payload, as far as metrics read it). */
export interface EndBatchProcess {
  topic: string;
  partition: number;
  highWatermark: string;
  offsetLag: string;
  batchSize: number;
  /** Milliseconds. */
  duration: number;
}

/**
 * Messages behind the high watermark once a batch is processed, as a number; never negative (a high watermark
 * read before a compaction or a transaction marker can be behind the batch's last offset) and 0 when unknown.
 */
export function offsetLagOf(batch: Pick<EndBatchProcess, 'offsetLag'>): number {
  const lag = Number(batch.offsetLag);
  return Number.isFinite(lag) && lag > 0 ? lag : 0;
}

/**
 * Records a consumer's batches from kafkajs's instrumentation events: duration and size per group, and the
 * offset lag this instance sees per group, topic and partition. A batch with no messages (only a transaction's
 * commit marker) still updates the lag.
 */
export function instrumentConsumer(consumer: Consumer, groupId: string): void {
  const group = nameLabel(groupId);
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
    safely(() => {
      const batch = payload as EndBatchProcess;
      platformMetrics
        .consumerOffsetLag()
        .set(
          { group, topic: nameLabel(batch.topic), partition: String(batch.partition) },
          offsetLagOf(batch),
        );
      if (batch.batchSize === 0) return;
      platformMetrics.consumerBatchDuration().observe({ group }, batch.duration / 1000);
      platformMetrics.consumerBatchSize().observe({ group }, batch.batchSize);
    }),
  );
}

let service = 'unknown';

/** Names the process's service (runService does, with the name its scrape job has) for per-service labels. */
export function setMetricsService(name: string): void {
  service = nameLabel(name);
}

/** Counts a message sent to the dead-letter topic. `reason` is one of the platform's reason codes. */
export function countDeadLetter(topic: string, reason: string): void {
  safely(() =>
    platformMetrics.deadLetters().inc({ service, topic: nameLabel(topic), reason: nameLabel(reason) }),
  );
}
