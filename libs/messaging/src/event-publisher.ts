import { CompressionTypes, Message, Producer } from 'kafkajs';
import {
  encodeEvent,
  eventKey,
  EventTopic,
  Limits,
  TopicEvents,
  validateEventOn,
} from '@oversight/contracts';
import { TraceCarrier, traceHeaders } from './trace-context';

/**
 * An event and the topic it goes to, paired so the compiler checks they belong together; `trace` is the stored
 * trace the event continues (a review's outcome continues its decision's trace; see traceHeaders).
 */
export type OutgoingEvent = {
  [T in EventTopic]: { topic: T; event: TopicEvents[T]; trace?: TraceCarrier };
}[EventTopic];

export class InvalidEventError extends Error {
  constructor(
    readonly topic: string,
    readonly errors: string[],
  ) {
    super(`refusing to publish an invalid event to ${topic}: ${errors.join('; ')}`);
  }
}

/**
 * Publishes platform events. The producer is idempotent (a retried send is never written twice) and each
 * message is keyed by decisionId (see eventKey), so a decision's events keep their order on one partition. Events are
 * validated before they leave: a producer bug must not put an event on a topic that consumers will reject.
 */
export class EventPublisher {
  /** Takes a connected producer from `createProducer`; its owner connects and disconnects it. */
  constructor(private readonly producer: Producer) {}

  async publish<T extends EventTopic>(topic: T, ...events: TopicEvents[T][]): Promise<void> {
    await this.publishAll(events.map((event) => ({ topic, event }) as OutgoingEvent));
  }

  /**
   * Publishes events to several topics in one request; validates every one first, sends none if any fails.
   * `validate: false` is for events this process just built from validated input with a builder whose unit
   * spec checks its output against the contract: validating them again costs the hot path a schema pass.
   */
  async publishAll(outgoing: readonly OutgoingEvent[], options = { validate: true }): Promise<void> {
    if (outgoing.length === 0) return;
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: encodeOutgoing(outgoing, options),
    });
  }
}

/** Encodes events as Kafka messages grouped by topic: keyed by decisionId, within the size limit. */
export function encodeOutgoing(
  outgoing: readonly OutgoingEvent[],
  options: { validate: boolean },
): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, event, trace } of outgoing) {
    if (options.validate) {
      const check = validateEventOn(topic, event);
      if (!check.ok) throw new InvalidEventError(topic, check.errors);
    }
    const value = encodeEvent(event);
    if (value.length > Limits.maxEventBytes) {
      throw new InvalidEventError(topic, [
        `(root): ${value.length} bytes is more than the ${Limits.maxEventBytes}-byte limit`,
      ]);
    }
    const messages = byTopic.get(topic) ?? [];
    messages.push({
      key: eventKey(event),
      value,
      headers: {
        'event.type': event.type,
        'event.schema-version': String(event.schemaVersion),
        ...traceHeaders(topic, event.causationId, trace),
      },
    });
    byTopic.set(topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
