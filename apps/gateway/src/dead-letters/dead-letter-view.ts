import { KafkaMessage } from 'kafkajs';
import { DeadLetterHeader } from '@oversight/contracts';
import { readDeadLetter } from '@oversight/messaging';

/** A dead letter as the API shows it: where it sits, why it is there, and the original message. */
export interface DeadLetterItem {
  partition: number;
  offset: string;
  key: string | null;
  reason: string;
  errors: string[];
  source: { topic: string; partition: number; offset: string; timestamp?: string };
  consumerGroup: string;
  attempts: number;
  failedAt: string;
  /** Set when the broker refused the original bytes; they are then only at the source offset. */
  valueOmitted?: string;
  /** The original value: its text, and its JSON when it parses. */
  original: { text: string | null; json?: unknown };
}

export function toDeadLetterItem(partition: number, message: KafkaMessage): DeadLetterItem {
  const letter = readDeadLetter(message);
  const text = letter.value === null ? null : letter.value.toString('utf8');
  let json: unknown;
  let parsed = false;
  if (text !== null) {
    try {
      json = JSON.parse(text);
      parsed = true;
    } catch {
      parsed = false;
    }
  }
  const omitted = message.headers?.[DeadLetterHeader.ValueOmitted];
  return {
    partition,
    offset: message.offset,
    key: letter.key === null ? null : letter.key.toString('utf8'),
    reason: letter.reason,
    errors: letter.errors,
    source: letter.source,
    consumerGroup: letter.consumerGroup,
    attempts: letter.attempts,
    failedAt: letter.failedAt,
    ...(omitted !== undefined ? { valueOmitted: String(Array.isArray(omitted) ? omitted[0] : omitted) } : {}),
    original: parsed ? { text, json } : { text },
  };
}
