import { DecisionProposed } from './events/decision-proposed';
import { EventEnvelope } from './envelope';
import { Topic } from './topics';

/** Payload class of every event type, per schema version. Add a version here before producing it. */
export const EVENT_SCHEMAS = {
  DecisionProposed: { 1: DecisionProposed },
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;

/** The version producers write today; consumers accept every version listed in EVENT_SCHEMAS. */
export const CURRENT_SCHEMA_VERSION: Record<EventType, number> = {
  DecisionProposed: 1,
};

export interface EventPayloads {
  DecisionProposed: DecisionProposed;
}

export type PlatformEvent<T extends EventType = EventType> = {
  [K in T]: EventEnvelope<K, EventPayloads[K]>;
}[T];

/**
 * Which events travel on which topic. Publishing checks the pairing at compile time
 * (`publish(Topic.DecisionProposed, event)` only takes a DecisionProposed event) and consuming checks it again
 * at run time, since bytes on a topic can come from anyone.
 */
export interface TopicEvents {
  [Topic.DecisionProposed]: PlatformEvent<'DecisionProposed'>;
}

export type EventTopic = keyof TopicEvents;

export const TOPIC_EVENT_TYPES: { [T in EventTopic]: readonly TopicEvents[T]['type'][] } = {
  [Topic.DecisionProposed]: ['DecisionProposed'],
};

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_SCHEMAS, value);
}
