import { CompressionTypes, Kafka, Message, Producer } from 'kafkajs';
import { encodeEvent, exampleDecisionProposed, newEvent } from '@oversight/contracts';
import { createProducer } from '@oversight/messaging';
import { BenchFailure, RunGuard } from './run-guard';
import { monoNow, round, sleep, summarize, Summary } from './stats';

export const BENCH_TOPIC_PARTITIONS = 6;

export interface BaselineResult {
  topic: string;
  partitions: number;
  messages: number;
  /** Mean size of a message value: an encoded DecisionProposed, exactly what the auto path carries. */
  messageBytes: number;
  seconds: number;
  perSecond: number;
}

export interface BaselineOptions {
  topic: string;
  /** Keys start with this, then the pass (warmup, measured), so passes are told apart. */
  keyPrefix: string;
  warmupMessages: number;
  messages: number;
  chunkSize: number;
  stallTimeoutMs: number;
  guard: RunGuard;
}

/** The $12 refund every run proposes: routed to auto by the reference policy. */
export const benchProposal = () => exampleDecisionProposed({ amount: { value: 12, currency: 'USD' } });

/**
 * The raw ceiling: plain kafkajs produce → consume through the same broker, with the platform's producer
 * settings (idempotent, acks from all replicas, one request in flight), the same partition count and
 * messages that are DecisionProposed events byte for byte. Nothing is validated, stored or republished.
 * Measured like the auto path: first message in to last message out, pushed in the same chunks.
 */
export class PassThroughBaseline {
  private readonly producer: Producer;
  private readonly consumer;
  private readonly passes = new Map<string, { expected: number; seen: number; lastOutMono: number }>();

  constructor(
    kafka: Kafka,
    groupId: string,
    private readonly options: BaselineOptions,
  ) {
    this.producer = createProducer(kafka);
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  }

  /**
   * The measured pass, then `roundTripSamples` sequential single-message sends, each acknowledged by the
   * broker: the price of one publish at idle, which every service pays per event it publishes.
   */
  async run(roundTripSamples: number): Promise<{ baseline: BaselineResult; produceRoundTripMs: Summary }> {
    const { topic, warmupMessages, messages } = this.options;
    await this.producer.connect();
    await this.consumer.connect();
    try {
      await this.consumer.subscribe({ topic, fromBeginning: true });
      await this.consumer.run({
        eachBatch: async ({ batch }) => {
          const mono = monoNow();
          for (const message of batch.messages) {
            const progress = this.passes.get(passOf(message.key?.toString() ?? ''));
            if (!progress) continue;
            progress.seen += 1;
            progress.lastOutMono = mono;
          }
        },
      });
      // The warm-up also absorbs the consumer's group join, which would otherwise count as latency.
      await this.pass('warmup', warmupMessages);
      const measured = await this.pass('measured', messages);

      const [single] = this.messages('rtt', 1);
      const timings: number[] = [];
      for (let i = 0; i < roundTripSamples; i += 1) {
        const started = monoNow();
        await this.send([single]);
        timings.push(monoNow() - started);
      }
      return {
        baseline: { topic, partitions: BENCH_TOPIC_PARTITIONS, messages, ...measured },
        produceRoundTripMs: summarize(timings),
      };
    } finally {
      await Promise.allSettled([this.consumer.disconnect(), this.producer.disconnect()]);
    }
  }

  private async pass(name: string, count: number) {
    const all = this.messages(name, count);
    const progress = { expected: count, seen: 0, lastOutMono: 0 };
    this.passes.set(name, progress);
    const firstIn = monoNow();
    for (let start = 0; start < all.length; start += this.options.chunkSize) {
      this.options.guard.check();
      await this.send(all.slice(start, start + this.options.chunkSize));
    }
    let lastProgress = monoNow();
    let seen = progress.seen;
    while (progress.seen < count) {
      this.options.guard.check();
      if (progress.seen !== seen) [seen, lastProgress] = [progress.seen, monoNow()];
      if (monoNow() - lastProgress > this.options.stallTimeoutMs) {
        throw new BenchFailure(
          `baseline ${name}: ${count - progress.seen} of ${count} messages never came back from ${this.options.topic}`,
        );
      }
      await sleep(20);
    }
    const seconds = (progress.lastOutMono - firstIn) / 1000;
    const bytes = all.reduce((sum, message) => sum + (message.value as Buffer).length, 0) / all.length;
    return {
      messageBytes: Math.round(bytes),
      seconds: round(seconds, 3),
      perSecond: round(count / seconds, 1),
    };
  }

  /** Encoded DecisionProposed events, built before the clock starts: the baseline times Kafka alone. */
  private messages(pass: string, count: number): Message[] {
    return Array.from({ length: count }, (_, i) => {
      const decisionId = `${this.options.keyPrefix}${pass}-${i}`;
      const event = newEvent('DecisionProposed', { decisionId, producer: 'bench', payload: benchProposal() });
      return { key: decisionId, value: encodeEvent(event) };
    });
  }

  private async send(messages: Message[]): Promise<void> {
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [{ topic: this.options.topic, messages }],
    });
  }
}

/** `<prefix><pass>-<n>` → `<pass>` (pass names have no dash). */
function passOf(key: string): string {
  return key.slice(0, key.lastIndexOf('-')).split('-').pop() ?? '';
}
