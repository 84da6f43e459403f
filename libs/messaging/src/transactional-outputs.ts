import { Kafka, Producer } from 'kafkajs';
import { PartitionLost } from './event-consumer';
import { encodeOutgoing, OutgoingEvent } from './event-publisher';
import { idempotentProducerConfig } from './kafka-client';

export interface TransactionalOutputsOptions {
  /** The consumer group whose offsets commit with the outputs. */
  consumerGroupId: string;
  /** The input topic; one transactional id per partition of it, so the partition's next owner fences this one. */
  inputTopic: string;
  /**
   * Holds every transaction open this long before it commits. Fault injection only (the test that kills a
   * service inside an open transaction); 0 in production.
   */
  commitDelayMs?: number;
}

/** The broker aborts a transaction left open longer than this (a killed owner whose partition nobody took). */
const TRANSACTION_TIMEOUT_MS = 15_000;

/**
 * Publishes a partition's outputs and commits its consumer offset in one Kafka transaction: consumers that
 * read committed (kafkajs's default) see the outputs exactly when the input counts as handled, and never the
 * outputs of an attempt that crashed or failed. The classic consume-transform-produce design: one
 * transactional producer per input partition (kafkajs predates KIP-447's group-generation fencing), whose id
 * the partition's next owner reuses, which aborts anything this one left open and fences it off.
 */
export class TransactionalOutputs {
  private readonly producers = new Map<number, Promise<Producer>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TransactionalOutputsOptions,
  ) {}

  /**
   * Sends the events (pre-validated: see encodeOutgoing) and commits the input partition through `nextOffset`,
   * atomically. Throws PartitionLost when another instance has taken the partition's transactional id.
   */
  async publish(
    partition: number,
    outgoing: readonly OutgoingEvent[],
    nextOffset: string,
    options: { validate: boolean },
  ): Promise<void> {
    const topicMessages = encodeOutgoing(outgoing, options);
    const producer = await this.producerFor(partition);
    const transaction = await producer.transaction();
    try {
      if (topicMessages.length) await transaction.sendBatch({ acks: -1, topicMessages });
      await transaction.sendOffsets({
        consumerGroupId: this.options.consumerGroupId,
        topics: [{ topic: this.options.inputTopic, partitions: [{ partition, offset: nextOffset }] }],
      });
      if (this.options.commitDelayMs) await delay(this.options.commitDelayMs);
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      // A producer whose transaction failed may be stuck in an error state: the next try starts a new one,
      // whose start aborts whatever this one left open.
      await this.release([partition]);
      if (isFenced(error)) {
        throw new PartitionLost(
          `${this.options.inputTopic}[${partition}]: another instance took the partition's transactions`,
        );
      }
      throw error;
    }
  }

  /** Closes the producers of partitions this instance no longer handles. */
  async release(partitions: Iterable<number>): Promise<void> {
    await Promise.all(
      [...partitions].map(async (partition) => {
        const producer = this.producers.get(partition);
        this.producers.delete(partition);
        await producer?.then((p) => p.disconnect()).catch(() => undefined);
      }),
    );
  }

  async stop(): Promise<void> {
    await this.release([...this.producers.keys()]);
  }

  private producerFor(partition: number): Promise<Producer> {
    let producer = this.producers.get(partition);
    if (!producer) {
      producer = this.connect(partition);
      this.producers.set(partition, producer);
      producer.catch(() => this.producers.delete(partition));
    }
    return producer;
  }

  private async connect(partition: number): Promise<Producer> {
    const producer = this.kafka.producer({
      ...idempotentProducerConfig(),
      transactionalId: `${this.options.consumerGroupId}.${this.options.inputTopic}.${partition}`,
      transactionTimeout: TRANSACTION_TIMEOUT_MS,
      // A transaction starts right after the last one committed, while the broker still writes its markers,
      // and is answered CONCURRENT_TRANSACTIONS for a few ms; kafkajs's default 300 ms first retry made each
      // transaction take a quarter of a second.
      retry: { ...idempotentProducerConfig().retry, initialRetryTime: 5 },
    });
    await producer.connect();
    return producer;
  }
}

/** The broker's answer when a newer producer with the same transactional id exists. */
function isFenced(error: unknown): boolean {
  const type = (error as { type?: string } | undefined)?.type;
  return type === 'INVALID_PRODUCER_EPOCH' || type === 'PRODUCER_FENCED';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
