import { CompressionTypes, Producer } from 'kafkajs';
import { encodeEvent, EventTopic, Limits, TopicEvents, validateEventOn } from '@oversight/contracts';

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
 * message is keyed by decisionId, so a decision's events keep their order on one partition. Events are
 * validated before they leave: a producer bug must not put an event on a topic that consumers will reject.
 */
export class EventPublisher {
  /** Takes a connected producer from `createProducer`; its owner connects and disconnects it. */
  constructor(private readonly producer: Producer) {}

  async publish<T extends EventTopic>(topic: T, ...events: TopicEvents[T][]): Promise<void> {
    if (events.length === 0) return;
    const values = events.map((event) => {
      const check = validateEventOn(topic, event);
      if (!check.ok) throw new InvalidEventError(topic, check.errors);
      const value = encodeEvent(event);
      if (value.length > Limits.maxEventBytes) {
        throw new InvalidEventError(topic, [
          `(root): ${value.length} bytes is more than the ${Limits.maxEventBytes}-byte limit`,
        ]);
      }
      return value;
    });
    await this.producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: events.map((event, i) => ({
        key: event.decisionId,
        value: values[i],
        headers: { 'event.type': event.type, 'event.schema-version': String(event.schemaVersion) },
      })),
    });
  }
}
