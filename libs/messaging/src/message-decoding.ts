import { KafkaMessage } from 'kafkajs';
import { decodeEvent, eventKey, EventTopic, TopicEvents, Validated } from '@oversight/contracts';

/**
 * Decodes a consumed message into a valid event for its topic, and checks that it was keyed as the platform
 * keys it (eventKey: the decisionId, or the control event's key). A message keyed otherwise sits on another
 * partition than the decision's other events, so it could overtake them or be handled by the wrong instance:
 * it is dead-lettered as `wrong-key` like any other invalid message. Never throws.
 */
export function decodeMessage<T extends EventTopic>(
  topic: T,
  message: Pick<KafkaMessage, 'key' | 'value'>,
): Validated<TopicEvents[T]> {
  const decoded = decodeEvent(topic, message.value);
  if (!decoded.ok) return decoded;
  const expected = eventKey(decoded.value);
  const key = message.key;
  if (key === null || key === undefined) {
    return {
      ok: false,
      reason: 'wrong-key',
      errors: [`(key): the message has no key; expected "${expected}"`],
    };
  }
  if (!key.equals(Buffer.from(expected, 'utf8'))) {
    const shown = key.toString('utf8').slice(0, 64);
    return {
      ok: false,
      reason: 'wrong-key',
      errors: [`(key): "${shown}" is not the event's key "${expected}"`],
    };
  }
  return decoded;
}
