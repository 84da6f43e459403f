import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EnvelopeHeader } from './envelope';
import {
  EVENT_SCHEMAS,
  EventTopic,
  isControlEvent,
  isEventType,
  PlatformEvent,
  TOPIC_EVENT_TYPES,
  TopicEvents,
} from './event-registry';
import { findUnsafeStructure } from './json-safety';
import { Limits } from './limits';

export type RejectionReason =
  | 'empty'
  | 'too-large'
  | 'not-json'
  | 'not-an-object'
  | 'unsafe-structure'
  | 'invalid-envelope'
  | 'unknown-event-type'
  | 'unsupported-schema-version'
  | 'wrong-topic'
  | 'wrong-key'
  | 'invalid-payload';

export type Validated<T> = { ok: true; value: T } | { ok: false; reason: RejectionReason; errors: string[] };

const VALIDATOR_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Turns class-validator's error tree into one line per broken rule: `payload.amount.value: must not be less than 0`. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

/**
 * Validates a plain object against a class-validator class; never throws. With `partial`, absent properties
 * pass (for documents whose missing fields are filled in from defaults later).
 */
export function validateAs<T extends object>(
  cls: new () => T,
  plain: unknown,
  path = '',
  { partial = false } = {},
): Validated<T> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, reason: 'not-an-object', errors: [`${path || '(root)'}: must be a JSON object`] };
  }
  const instance = plainToInstance(cls, plain);
  const errors = flattenValidationErrors(
    validateSync(instance, { ...VALIDATOR_OPTIONS, skipMissingProperties: partial }),
    path,
  );
  return errors.length ? { ok: false, reason: 'invalid-payload', errors } : { ok: true, value: instance };
}

/**
 * Checks that a parsed value is a well-formed platform event: safe structure, valid envelope, known type and
 * schema version, valid payload. Never throws, whatever it is given.
 */
export function validateEvent(raw: unknown): Validated<PlatformEvent> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: 'not-an-object', errors: ['(root): an event must be a JSON object'] };
  }
  const unsafe = findUnsafeStructure(raw);
  if (unsafe.length) return { ok: false, reason: 'unsafe-structure', errors: unsafe };

  const { payload, type, ...header } = raw as Record<string, unknown>;
  const headerCheck = validateAs(EnvelopeHeader, header);
  if (!headerCheck.ok) return { ok: false, reason: 'invalid-envelope', errors: headerCheck.errors };

  if (!isEventType(type)) {
    return {
      ok: false,
      reason: 'unknown-event-type',
      errors: [`type: "${String(type).slice(0, 64)}" is not one of ${Object.keys(EVENT_SCHEMAS).join(', ')}`],
    };
  }
  if (!isControlEvent(type) && headerCheck.value.decisionId === undefined) {
    return {
      ok: false,
      reason: 'invalid-envelope',
      errors: [`decisionId: a ${type} event must name its decision`],
    };
  }
  const versions: Record<number, new () => object> = EVENT_SCHEMAS[type];
  const payloadClass = versions[headerCheck.value.schemaVersion];
  if (!payloadClass) {
    return {
      ok: false,
      reason: 'unsupported-schema-version',
      errors: [
        `schemaVersion: ${type} v${headerCheck.value.schemaVersion} is not supported (known: ${Object.keys(versions).join(', ')})`,
      ],
    };
  }
  const payloadCheck = validateAs(payloadClass, payload, 'payload');
  if (!payloadCheck.ok) return payloadCheck;

  return { ok: true, value: { ...headerCheck.value, type, payload: payloadCheck.value } as PlatformEvent };
}

/** Validates an event read from `topic`, including that its type belongs on that topic. */
export function validateEventOn<T extends EventTopic>(topic: T, raw: unknown): Validated<TopicEvents[T]> {
  const result = validateEvent(raw);
  if (!result.ok) return result;
  const allowed: readonly string[] = TOPIC_EVENT_TYPES[topic];
  if (!allowed.includes(result.value.type)) {
    return {
      ok: false,
      reason: 'wrong-topic',
      errors: [`type: ${result.value.type} does not belong on ${topic} (expected ${allowed.join(', ')})`],
    };
  }
  return result as Validated<TopicEvents[T]>;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parses bytes as read from Kafka or an HTTP body into a validated event; never throws. */
export function decodeEvent<T extends EventTopic>(
  topic: T,
  bytes: Buffer | string | null | undefined,
): Validated<TopicEvents[T]> {
  if (bytes === null || bytes === undefined || bytes.length === 0) {
    return { ok: false, reason: 'empty', errors: ['(root): the message has no value'] };
  }
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
  if (size > Limits.maxEventBytes) {
    return {
      ok: false,
      reason: 'too-large',
      errors: [`(root): ${size} bytes is more than the ${Limits.maxEventBytes}-byte limit`],
    };
  }
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : STRICT_UTF8.decode(bytes);
  } catch {
    // Buffer#toString would swap bad bytes for U+FFFD and the event would be kept as something nobody sent.
    return { ok: false, reason: 'not-json', errors: ['(root): not valid UTF-8 text, which JSON must be'] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      reason: 'not-json',
      errors: [`(root): not valid JSON (${(error as Error).message})`],
    };
  }
  return validateEventOn(topic, parsed);
}

export function encodeEvent(event: PlatformEvent): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8');
}
