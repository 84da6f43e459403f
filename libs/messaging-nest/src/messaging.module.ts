import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Producer } from 'kafkajs';
import { TOPIC_SPECS } from '@oversight/contracts';
import {
  createKafka,
  createProducer,
  DeadLetterPublisher,
  ensureTopics,
  EventPublisher,
  FetchLimits,
} from '@oversight/messaging';
import { ConsumerRegistry } from './consumer-registry';
import { FETCH_LIMITS, KAFKA, PRODUCER } from './tokens';
import { nestMessagingLogger } from './nest-messaging-logger';

export interface MessagingModuleOptions {
  brokers: string[];
  clientId: string;
  /** Create missing topics at start-up (every service does; it is idempotent and safe in parallel). */
  ensureTopics?: boolean;
  /** Fetch limits of every consumer (a consumer may override them); see fetchLimitsFrom. */
  fetch?: FetchLimits;
}

export interface MessagingModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: unknown[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- receives whatever `inject` lists, as in Nest's own types
  useFactory: (...args: any[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

const OPTIONS = Symbol('MESSAGING_OPTIONS');

/** Disconnects the producer after the consumers, which stop in the earlier beforeApplicationShutdown phase. */
class ProducerShutdown implements OnApplicationShutdown {
  constructor(@Inject(PRODUCER) private readonly producer: Producer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

/**
 * Kafka for a Nest service: one kafkajs client and one idempotent producer, shared by the EventPublisher and
 * the dead letters of the ConsumerRegistry. Topics are ensured before anything is published or consumed.
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
          provide: PRODUCER,
          inject: [KAFKA],
          useFactory: async (kafka: Kafka): Promise<Producer> => {
            const producer = createProducer(kafka);
            await producer.connect();
            return producer;
          },
        },
        {
          provide: EventPublisher,
          inject: [PRODUCER],
          useFactory: (producer: Producer) => new EventPublisher(producer),
        },
        {
          provide: DeadLetterPublisher,
          inject: [PRODUCER],
          useFactory: (producer: Producer) => new DeadLetterPublisher(producer),
        },
        {
          provide: FETCH_LIMITS,
          inject: [OPTIONS],
          useFactory: (config: MessagingModuleOptions): FetchLimits => config.fetch ?? {},
        },
        ConsumerRegistry,
        ProducerShutdown,
      ],
      exports: [KAFKA, EventPublisher, DeadLetterPublisher, ConsumerRegistry],
    };
  }
}
