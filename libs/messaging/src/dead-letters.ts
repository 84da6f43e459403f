import { IHeaders, KafkaMessage, Producer } from 'kafkajs';
import { DeadLetter, DeadLetterHeader, Topic } from '@oversight/contracts';
import { countDeadLetter } from '@oversight/observability';

export interface DeadLetterSource {
  topic: string;
  partition: number;
  message: KafkaMessage;
  consumerGroup: string;
}

export interface DeadLetterCause {
  reason: string;
  errors: string[];
  attempts: number;
}

/** Sends messages that cannot be processed to the dead-letter topic, bytes untouched, cause in headers. */
export class DeadLetterPublisher {
  /** Takes a connected producer from `createProducer`; its owner connects and disconnects it. */
  constructor(private readonly producer: Producer) {}

  async send(source: DeadLetterSource, cause: DeadLetterCause): Promise<void> {
    const { message } = source;
    const headers: IHeaders = {
      ...message.headers,
      [DeadLetterHeader.Reason]: cause.reason,
      [DeadLetterHeader.Errors]: JSON.stringify(cause.errors.slice(0, 50).map((e) => e.slice(0, 1000))),
      [DeadLetterHeader.SourceTopic]: source.topic,
      [DeadLetterHeader.SourcePartition]: String(source.partition),
      [DeadLetterHeader.SourceOffset]: message.offset,
      [DeadLetterHeader.SourceTimestamp]: message.timestamp,
      [DeadLetterHeader.ConsumerGroup]: source.consumerGroup,
      [DeadLetterHeader.Attempts]: String(cause.attempts),
      [DeadLetterHeader.FailedAt]: new Date().toISOString(),
    };
    try {
      await this.producer.send({
        topic: Topic.DeadLetter,
        acks: -1,
        messages: [{ key: message.key, value: message.value, headers }],
      });
    } catch (error) {
      // A dead letter the broker refuses for good (e.g. too large with its headers) must not block the partition
      // forever: keep the cause and the source offset, drop the bytes, which stay readable at the source.
      if ((error as { retriable?: boolean }).retriable !== false) throw error;
      await this.producer.send({
        topic: Topic.DeadLetter,
        acks: -1,
        messages: [
          {
            key: message.key,
            value: null,
            headers: {
              ...headers,
              [DeadLetterHeader.ValueOmitted]: `${(error as Error).name}: ${(error as Error).message}`,
            },
          },
        ],
      });
    }
    countDeadLetter(source.topic, cause.reason);
  }
}

/** Reads a dead-letter message back into its parts. */
export function readDeadLetter(message: KafkaMessage): DeadLetter {
  const header = (name: string) => headerText(message.headers, name) ?? '';
  let errors: string[] = [];
  try {
    errors = JSON.parse(header(DeadLetterHeader.Errors) || '[]');
  } catch {
    errors = [header(DeadLetterHeader.Errors)];
  }
  return {
    reason: header(DeadLetterHeader.Reason),
    errors,
    source: {
      topic: header(DeadLetterHeader.SourceTopic),
      partition: Number(header(DeadLetterHeader.SourcePartition)),
      offset: header(DeadLetterHeader.SourceOffset),
      timestamp: header(DeadLetterHeader.SourceTimestamp) || undefined,
    },
    consumerGroup: header(DeadLetterHeader.ConsumerGroup),
    attempts: Number(header(DeadLetterHeader.Attempts)),
    failedAt: header(DeadLetterHeader.FailedAt),
    key: message.key,
    value: message.value,
  };
}

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
