import { Kafka, logLevel, Partitioners, Producer, ProducerConfig } from 'kafkajs';
import { kafkajsLogCreator, MessagingLogger } from './logger';

export interface KafkaConnectionOptions {
  /** host:port pairs, e.g. ['127.0.0.1:9092']. */
  brokers: string[];
  /** Names this process in broker logs and quotas, e.g. `routing-7f9c`. */
  clientId: string;
  logger: MessagingLogger;
  /** kafkajs's own log level; WARN keeps routine rebalances out of the service log. */
  kafkajsLogLevel?: logLevel;
}

export function createKafka(options: KafkaConnectionOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: options.kafkajsLogLevel ?? logLevel.WARN,
    logCreator: kafkajsLogCreator(options.logger),
    // Connection-level retries for a broker that is restarting; handler retries are the consumer's business.
    retry: { initialRetryTime: 300, retries: 8 },
  });
}

/** Parses the KAFKA_BROKERS convention: a comma-separated list of host:port. */
export function parseBrokerList(value: string): string[] {
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

/** The producer a service publishes events and dead letters through; one per process is enough. */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer(idempotentProducerConfig());
}

/**
 * Every producer of the platform: idempotent (a retried send is written once), one request in flight (order
 * kept within a partition), and the Java client's murmur2 partitioner, so a decisionId maps to the same
 * partition whichever language produced it. Retries never give up while the broker is away: a send that gave
 * up and was retried by the caller could be written twice, which idempotence exists to prevent.
 */
export function idempotentProducerConfig(): ProducerConfig {
  return {
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5_000 },
  };
}
