import { Inject, Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { EventTopic } from '@oversight/contracts';
import { DeadLetterPublisher, EventConsumer, EventConsumerOptions } from '@oversight/messaging';
import { KAFKA } from './tokens';
import { nestMessagingLogger } from './nest-messaging-logger';

/**
 * Starts the service's consumers. Handlers call `consume()` from `onApplicationBootstrap`, once every provider is
 * ready; MessagingModule stops them on shutdown, before the producers they dead-letter through.
 */
@Injectable()
export class EventConsumers {
  private readonly running: EventConsumer<EventTopic>[] = [];

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly deadLetters: DeadLetterPublisher,
  ) {}

  async consume<T extends EventTopic>(options: Omit<EventConsumerOptions<T>, 'logger'>): Promise<void> {
    const consumer = new EventConsumer(this.kafka, this.deadLetters, {
      ...options,
      logger: nestMessagingLogger(`consumer:${options.groupId}`),
    });
    await consumer.start();
    this.running.push(consumer as unknown as EventConsumer<EventTopic>);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.running.splice(0).map((consumer) => consumer.stop()));
  }
}
