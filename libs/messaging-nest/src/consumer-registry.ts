import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { EventTopic } from '@oversight/contracts';
import { DeadLetterPublisher, EventConsumer, EventConsumerOptions, FetchLimits } from '@oversight/messaging';
import { FETCH_LIMITS, KAFKA } from './tokens';
import { nestMessagingLogger } from './nest-messaging-logger';

/** Longest a shutdown waits for in-flight handlers; what is not committed by then is delivered again. */
const STOP_GRACE_MS = 25_000;

/**
 * The service's running consumers. Handlers call `consume()` from `onApplicationBootstrap`, once every
 * provider is ready. On shutdown the consumers stop first (before the store connection and the producer close,
 * which happens in the later `onApplicationShutdown` phase), so in-flight handlers can finish and commit.
 */
@Injectable()
export class ConsumerRegistry implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ConsumerRegistry.name);
  private readonly running: { stop(): Promise<void> }[] = [];

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly deadLetters: DeadLetterPublisher,
    @Inject(FETCH_LIMITS) private readonly fetchLimits: FetchLimits,
  ) {}

  async consume<T extends EventTopic>(
    options: Omit<EventConsumerOptions<T>, 'logger' | 'onCrash'>,
  ): Promise<void> {
    const consumer = new EventConsumer(this.kafka, this.deadLetters, {
      ...options,
      fetch: { ...this.fetchLimits, ...options.fetch },
      logger: nestMessagingLogger(`consumer:${options.groupId}`),
      // A consumer kafkajs will not restart leaves the service up but deaf; stop it so it is restarted.
      onCrash: (error) => {
        this.logger.fatal(`consumer ${options.groupId} crashed for good (${error.message}); shutting down`);
        process.kill(process.pid, 'SIGTERM');
      },
    });
    await consumer.start();
    this.running.push(consumer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const consumers = this.running.splice(0);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed-out'>((resolve) => {
      timer = setTimeout(() => resolve('timed-out'), STOP_GRACE_MS);
    });
    const outcome = await Promise.race([Promise.all(consumers.map((c) => c.stop())), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timed-out') {
      this.logger.warn(
        `consumers did not stop within ${STOP_GRACE_MS} ms; uncommitted messages will be redelivered`,
      );
    }
  }
}
