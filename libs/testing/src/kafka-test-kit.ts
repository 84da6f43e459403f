import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { uniqueName } from './test-names';

/** A plain kafkajs client on the brokers the global setup started; raw access for producing bad bytes. */
export function testKafka(clientId = uniqueName('test')): Kafka {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING });
}

export interface RecordedMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Reads a topic from the beginning with a throw-away consumer group and keeps every message, for tests that
 * assert what was published (the dead-letter topic, an output topic).
 */
export class TopicRecorder {
  readonly messages: RecordedMessage[] = [];
  private readonly consumer;

  /** `readUncommitted` also records what open and aborted transactions wrote, as a careless consumer sees it. */
  constructor(
    kafka: Kafka,
    private readonly topic: string,
    options: { readUncommitted?: boolean } = {},
  ) {
    this.consumer = kafka.consumer({
      groupId: uniqueName('recorder'),
      allowAutoTopicCreation: false,
      readUncommitted: options.readUncommitted ?? false,
    });
  }

  async start(): Promise<this> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.messages.push({ topic, partition, message });
      },
    });
    return this;
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }

  withKey(key: string): RecordedMessage[] {
    return this.messages.filter((m) => m.message.key?.toString() === key);
  }
}
