import { randomUUID } from 'node:crypto';
import { Kafka, KafkaMessage } from 'kafkajs';

export interface PartitionOffsets {
  partition: number;
  /** First offset still on the topic. */
  low: bigint;
  /** Offset the next message will get. */
  high: bigint;
}

/** Offsets `from` (inclusive) to `to` (exclusive) of one partition. */
export interface PartitionWindow {
  partition: number;
  from: bigint;
  to: bigint;
}

export class TopicReadTimeout extends Error {}

export async function partitionOffsets(kafka: Kafka, topic: string): Promise<PartitionOffsets[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets
      .map((p) => ({ partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads the messages in the given windows of a topic and returns them per partition, in offset order. kafkajs
 * has no fetch-at-offset call, so a throw-away consumer (its own group, nothing committed) seeks to each
 * window's start and stops once every window is read. For operator tools, not for hot paths: each read joins a
 * group (fast on the local broker, whose initial rebalance delay is 0).
 */
export async function readWindows(
  kafka: Kafka,
  topic: string,
  windows: PartitionWindow[],
  allPartitions: number[],
  timeoutMs = 20_000,
): Promise<Map<number, KafkaMessage[]>> {
  const read = new Map<number, KafkaMessage[]>();
  const pending = new Map(windows.filter((w) => w.to > w.from).map((w) => [w.partition, w]));
  if (pending.size === 0) return read;

  const consumer = kafka.consumer({ groupId: `gateway-read-${randomUUID()}`, allowAutoTopicCreation: false });
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let timer: NodeJS.Timeout | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const window = pending.get(partition);
        if (!window) return;
        const offset = BigInt(message.offset);
        if (offset >= window.from && offset < window.to) {
          const list = read.get(partition) ?? [];
          list.push(message);
          read.set(partition, list);
        }
        if (offset + 1n >= window.to) {
          pending.delete(partition);
          consumer.pause([{ topic, partitions: [partition] }]);
          if (pending.size === 0) finish();
        }
      },
    });
    const others = allPartitions.filter((partition) => !pending.has(partition));
    if (others.length) consumer.pause([{ topic, partitions: others }]);
    for (const window of pending.values()) {
      consumer.seek({ topic, partition: window.partition, offset: window.from.toString() });
    }
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TopicReadTimeout(`${topic} could not be read within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    await Promise.race([finished, timedOut]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return read;
}
