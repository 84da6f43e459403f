import { randomUUID } from 'node:crypto';
import { CURRENT_SCHEMA_VERSION, EventPayloads, EventType, PlatformEvent } from './event-registry';

export interface NewEventFields<T extends EventType> {
  decisionId: string;
  producer: string;
  payload: EventPayloads[T];
  /** Defaults to the decisionId: a decision is its own trace unless the caller brings one. */
  correlationId?: string;
  /** The event this one answers, if any. */
  causedBy?: Pick<PlatformEvent, 'eventId' | 'correlationId'>;
  occurredAt?: Date;
}

/** Builds a new event at the current schema version, with a fresh id. */
export function newEvent<T extends EventType>(type: T, fields: NewEventFields<T>): PlatformEvent<T> {
  const event = {
    eventId: randomUUID(),
    type,
    schemaVersion: CURRENT_SCHEMA_VERSION[type],
    occurredAt: (fields.occurredAt ?? new Date()).toISOString(),
    decisionId: fields.decisionId,
    correlationId: fields.correlationId ?? fields.causedBy?.correlationId ?? fields.decisionId,
    producer: fields.producer,
    payload: fields.payload,
    ...(fields.causedBy ? { causationId: fields.causedBy.eventId } : {}),
  };
  return event as PlatformEvent<T>;
}
