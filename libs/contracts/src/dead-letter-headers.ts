/**
 * A dead letter keeps the original message's key and value byte for byte (so it can be replayed as it was)
 * and says what went wrong in these headers. Original headers are carried over unchanged.
 */
export const DeadLetterHeader = {
  /** Short machine-readable cause: a RejectionReason of the contracts, or `handler-failed`. */
  Reason: 'dlq.reason',
  /** JSON array of human-readable errors, each naming the field or the step that failed. */
  Errors: 'dlq.errors',
  SourceTopic: 'dlq.source.topic',
  SourcePartition: 'dlq.source.partition',
  SourceOffset: 'dlq.source.offset',
  SourceTimestamp: 'dlq.source.timestamp',
  ConsumerGroup: 'dlq.consumer.group',
  /** How many times the handler was tried before giving up (0 when the message never passed validation). */
  Attempts: 'dlq.attempts',
  FailedAt: 'dlq.failed.at',
  /** Present when the broker refused the original bytes; says why. The source offset still points at them. */
  ValueOmitted: 'dlq.value.omitted',
} as const;

/** A dead letter as an operator reads it back. */
export interface DeadLetter {
  reason: string;
  errors: string[];
  source: { topic: string; partition: number; offset: string; timestamp?: string };
  consumerGroup: string;
  attempts: number;
  failedAt: string;
  key: Buffer | null;
  value: Buffer | null;
}
