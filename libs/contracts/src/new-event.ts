import { randomUUID } from 'node:crypto';
import { v5 as uuidV5 } from 'uuid';
import { CURRENT_SCHEMA_VERSION, EventPayloads, EventType, PlatformEvent } from './event-registry';

/** Namespace of the platform's derived event ids (UUID v5). */
const DERIVED_ID_NAMESPACE = '0b8a1c52-4c1e-4f55-9a4f-7d2f6f3c9e10';

export interface NewEventFields<T extends EventType> {
  /** Required for every event about a decision; control events have none. */
  decisionId?: string;
  producer: string;
  payload: EventPayloads[T];
  /** Defaults to the cause's, then to the decisionId: a decision is its own trace unless the caller brings one. */
  correlationId?: string;
  /**
   * The event this one answers. Its id then fixes this event's id, so handling a redelivered cause again
   * yields the very same event, which every consumer recognises by eventId.
   */
  causedBy?: Pick<PlatformEvent, 'eventId' | 'correlationId'>;
  occurredAt?: Date;
}

/** Builds a new event at the current schema version: a fresh id, or one derived from its cause. */
export function newEvent<T extends EventType>(type: T, fields: NewEventFields<T>): PlatformEvent<T> {
  const correlationId = fields.correlationId ?? fields.causedBy?.correlationId ?? fields.decisionId;
  if (correlationId === undefined) throw new Error(`a ${type} event needs a decisionId or a correlationId`);
  const event = {
    eventId: fields.causedBy
      ? uuidV5(`${fields.causedBy.eventId}/${type}`, DERIVED_ID_NAMESPACE)
      : randomUUID(),
    type,
    schemaVersion: CURRENT_SCHEMA_VERSION[type],
    occurredAt: (fields.occurredAt ?? new Date()).toISOString(),
    ...(fields.decisionId !== undefined ? { decisionId: fields.decisionId } : {}),
    correlationId,
    producer: fields.producer,
    payload: fields.payload,
    ...(fields.causedBy ? { causationId: fields.causedBy.eventId } : {}),
  };
  return event as PlatformEvent<T>;
}
