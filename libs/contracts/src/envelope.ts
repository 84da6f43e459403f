import { IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

/** Ids are opaque to the platform but must be safe as Kafka keys, Mongo values and log fields (no spaces). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;
export const ID_RULE =
  'must be 1-128 characters of letters, digits and . _ : @ / - (starting with a letter or digit)';

/** Service names, business functions and action types: lower-case kebab words. */
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;
export const SLUG_RULE = 'must be lower-case kebab-case, 1-64 characters, starting with a letter';

/**
 * The versioned envelope every platform event travels in. `decisionId` is the Kafka key, so all events of one
 * decision land on one partition, in order. `correlationId` ties the decision to the caller's own trace;
 * `causationId` names the event that caused this one, so a timeline can be rebuilt as a chain.
 */
export interface EventEnvelope<TType extends string = string, TPayload = unknown> {
  eventId: string;
  type: TType;
  schemaVersion: number;
  occurredAt: string;
  /** Present on every event about a decision; absent on control events (policies, halts). */
  decisionId?: string;
  correlationId: string;
  causationId?: string;
  producer: string;
  payload: TPayload;
}

/**
 * The envelope's fields as class-validator rules. `type` is checked against the event registry and the payload
 * against its own class, so neither is declared here.
 */
export class EnvelopeHeader {
  @IsUUID('all')
  eventId!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  schemaVersion!: number;

  @IsISO8601({ strict: true, strictSeparator: true })
  occurredAt!: string;

  @IsOptional()
  @Matches(ID_PATTERN, { message: `decisionId ${ID_RULE}` })
  decisionId?: string;

  @Matches(ID_PATTERN, { message: `correlationId ${ID_RULE}` })
  correlationId!: string;

  @IsOptional()
  @Matches(ID_PATTERN, { message: `causationId ${ID_RULE}` })
  causationId?: string;

  @Matches(SLUG_PATTERN, { message: `producer ${SLUG_RULE}` })
  producer!: string;
}
