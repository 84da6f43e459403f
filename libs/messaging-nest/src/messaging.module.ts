import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { TOPIC_SPECS } from '@oversight/contracts';
import { createKafka, DeadLetterPublisher, ensureTopics, EventPublisher } from '@oversight/messaging';
import { EventConsumers } from './event-consumers';
import { KAFKA } from './tokens';
import { nestMessagingLogger } from './nest-messaging-logger';

export interface MessagingModuleOptions {
  brokers: string[];
  clientId: string;
  /** Create missing topics at start-up (every service does; it is idempotent and safe in parallel). */
  ensureTopics?: boolean;
}

export interface MessagingModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: unknown[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- receives whatever `inject` lists, as in Nest's own types
  useFactory: (...args: any[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

const OPTIONS = Symbol('MESSAGING_OPTIONS');

/** Stops consumers first, then the producers they may still be dead-lettering through. */
class MessagingShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(EventConsumers) private readonly consumers: EventConsumers,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.consumers.stopAll();
    await Promise.all([this.publisher.disconnect(), this.deadLetters.disconnect()]);
  }
}

/**
 * Kafka for a Nest service: one kafkajs client, an idempotent EventPublisher, the dead-letter publisher, and
 * EventConsumers to start handlers with. Topics are ensured before anything is published or consumed.
 */
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: OPTIONS, useFactory: options.useFactory, inject: (options.inject ?? []) as never[] },
        {
          provide: KAFKA,
          inject: [OPTIONS],
          useFactory: async (config: MessagingModuleOptions): Promise<Kafka> => {
            const logger = nestMessagingLogger('kafka');
            const kafka = createKafka({ brokers: config.brokers, clientId: config.clientId, logger });
            if (config.ensureTopics ?? true) await ensureTopics(kafka, TOPIC_SPECS, { logger });
            return kafka;
          },
        },
        {
          provide: EventPublisher,
          inject: [KAFKA],
          useFactory: async (kafka: Kafka) => {
            const publisher = new EventPublisher(kafka);
            await publisher.connect();
            return publisher;
          },
        },
        {
          provide: DeadLetterPublisher,
          inject: [KAFKA],
          useFactory: async (kafka: Kafka) => {
            const deadLetters = new DeadLetterPublisher(kafka);
            await deadLetters.connect();
            return deadLetters;
          },
        },
        EventConsumers,
        MessagingShutdown,
      ],
      exports: [KAFKA, EventPublisher, DeadLetterPublisher, EventConsumers],
    };
  }
}
