import { exampleDecisionProposed } from './examples';
import { newEvent } from './new-event';
import { decodeEvent, encodeEvent, validateEvent, validateEventOn } from './validation';
import { Topic } from './topics';
import { Limits } from './limits';

const validEvent = () =>
  newEvent('DecisionProposed', {
    decisionId: 'dec-1',
    producer: 'billing-gateway',
    payload: exampleDecisionProposed(),
  });

/** A valid event as plain JSON, with one change applied at a path. */
function eventWith(mutate: (event: Record<string, any>) => void): Record<string, any> {
  const event = JSON.parse(JSON.stringify(validEvent()));
  mutate(event);
  return event;
}

describe('validateEvent', () => {
  it('accepts a well-formed DecisionProposed and returns typed classes', () => {
    const result = validateEvent(JSON.parse(JSON.stringify(validEvent())));
    expect(result.ok).toBe(true);
    if (!result.ok || result.value.type !== 'DecisionProposed')
      throw new Error('expected a DecisionProposed');
    expect(result.value.payload.amount).toEqual({ value: 12, currency: 'USD' });
    expect(result.value.correlationId).toBe('dec-1');
  });

  it.each([
    ['no amount (no money moves)', (e: any) => delete e.payload.amount],
    ['confidence exactly 0', (e: any) => (e.payload.confidence = 0)],
    ['confidence exactly 1', (e: any) => (e.payload.confidence = 1)],
    ['amount zero', (e: any) => (e.payload.amount.value = 0)],
    ['no subject and no links', (e: any) => (delete e.payload.subject, delete e.payload.context.links)],
    ['a causation id', (e: any) => (e.causationId = 'evt-0')],
  ])('accepts boundary case: %s', (_name, mutate) => {
    expect(validateEvent(eventWith(mutate))).toMatchObject({ ok: true });
  });

  it.each([
    [
      'confidence above 1',
      (e: any) => (e.payload.confidence = 1.01),
      'invalid-payload',
      'payload.confidence: confidence must not be greater than 1',
    ],
    [
      'confidence below 0',
      (e: any) => (e.payload.confidence = -0.1),
      'invalid-payload',
      'payload.confidence: confidence must not be less than 0',
    ],
    [
      'confidence as a string',
      (e: any) => (e.payload.confidence = '0.9'),
      'invalid-payload',
      'payload.confidence: confidence must be a number conforming to the specified constraints',
    ],
    [
      'negative amount',
      (e: any) => (e.payload.amount.value = -5),
      'invalid-payload',
      'payload.amount.value: value must not be less than 0',
    ],
    [
      'non-finite amount',
      (e: any) => (e.payload.amount.value = Infinity),
      'unsafe-structure',
      'payload.amount.value: is a number beyond the range of a double (e.g. 1e400)',
    ],
    [
      'unknown currency',
      (e: any) => (e.payload.amount.currency = 'XXY'),
      'invalid-payload',
      'payload.amount.currency: currency must be a valid ISO4217 currency code',
    ],
    [
      'missing agent',
      (e: any) => delete e.payload.agent,
      'invalid-payload',
      'payload.agent: agent must be an object',
    ],
    [
      'unknown reversibility',
      (e: any) => (e.payload.reversibility = 'maybe'),
      'invalid-payload',
      'payload.reversibility: reversibility must be one of the following values: reversible, partially-reversible, irreversible',
    ],
    [
      'unknown field',
      (e: any) => (e.payload.extra = 1),
      'invalid-payload',
      'payload.extra: property extra should not exist',
    ],
    [
      'parameters as an array',
      (e: any) => (e.payload.parameters = [1]),
      'invalid-payload',
      'payload.parameters: parameters must be an object',
    ],
    [
      'link with a javascript: url',
      (e: any) => (e.payload.context.links[0].url = 'javascript:alert(1)'),
      'invalid-payload',
      'payload.context.links.0.url: url must be a URL address',
    ],
    [
      'huge summary',
      (e: any) => (e.payload.context.summary = 'x'.repeat(Limits.maxSummaryLength + 1)),
      'invalid-payload',
      `payload.context.summary: summary must be shorter than or equal to ${Limits.maxSummaryLength} characters`,
    ],
    [
      'business function with spaces',
      (e: any) => (e.payload.businessFunction = 'Telecom Billing'),
      'invalid-payload',
      'payload.businessFunction: businessFunction must be lower-case kebab-case, 1-64 characters, starting with a letter',
    ],
    ['missing eventId', (e: any) => delete e.eventId, 'invalid-envelope', 'eventId: eventId must be a UUID'],
    [
      'bad occurredAt',
      (e: any) => (e.occurredAt = 'yesterday'),
      'invalid-envelope',
      'occurredAt: occurredAt must be a valid ISO 8601 date string',
    ],
    [
      'decisionId too long',
      (e: any) => (e.decisionId = 'd'.repeat(200)),
      'invalid-envelope',
      'decisionId: decisionId must be 1-128 characters of letters, digits and . _ : @ / - (starting with a letter or digit)',
    ],
    [
      'unknown type',
      (e: any) => (e.type = 'DecisionExploded'),
      'unknown-event-type',
      'type: "DecisionExploded" is not one of DecisionProposed, DecisionScored, ActionApproved, ReviewRequested, DecisionBlocked, ReviewActivity, DecisionRejected, ActionExecuted, ActionFailed, ExecutionRetryRequested, ActionAbandoned, ReversalRequested, ActionReversed, ReversalFailed, PolicyPublished, HaltChanged, DelegationChanged, DriftDetected, DriftCleared',
    ],
    [
      'future schema version',
      (e: any) => (e.schemaVersion = 2),
      'unsupported-schema-version',
      'schemaVersion: DecisionProposed v2 is not supported (known: 1)',
    ],
    [
      '__proto__ key',
      (e: any) => (e.payload.parameters = JSON.parse('{"__proto__": {"admin": true}}')),
      'unsafe-structure',
      'payload.parameters: key "__proto__" is a reserved JavaScript property name',
    ],
    [
      '$where key',
      (e: any) => (e.payload.parameters = { $where: 'sleep(1000)' }),
      'unsafe-structure',
      `payload.parameters: key "$where" starts with '$' (a MongoDB operator)`,
    ],
    [
      'dotted key',
      (e: any) => (e.payload.parameters = { 'a.b': 1 }),
      'unsafe-structure',
      'payload.parameters: key "a.b" contains \'.\' (a MongoDB path separator)',
    ],
    [
      'a number beyond a double (1e400 parses to Infinity)',
      (e: any) => (e.payload.parameters = JSON.parse('{"credit": 1e400}')),
      'unsafe-structure',
      'payload.parameters.credit: is a number beyond the range of a double (e.g. 1e400)',
    ],
    [
      'an integer JSON would round',
      (e: any) => (e.payload.parameters = JSON.parse('{"accountNo": 12345678901234567891}')),
      'unsafe-structure',
      `payload.parameters.accountNo: is an integer beyond ±${Number.MAX_SAFE_INTEGER}, which JSON numbers here cannot keep exactly (send it as a string)`,
    ],
    [
      'a negative Infinity confidence',
      (e: any) => (e.payload.confidence = -Infinity),
      'unsafe-structure',
      'payload.confidence: is a number beyond the range of a double (e.g. 1e400)',
    ],
  ])('rejects %s', (_name, mutate, reason, error) => {
    const result = validateEvent(eventWith(mutate));
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.errors).toContain(error);
  });

  it('rejects nesting deeper than the limit, naming where', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < Limits.maxObjectDepth + 2; i++) deep = { next: deep };
    const result = validateEvent(eventWith((e) => (e.payload.parameters = deep)));
    expect(result).toMatchObject({ ok: false, reason: 'unsafe-structure' });
    if (!result.ok)
      expect(result.errors[0]).toMatch(
        new RegExp(`^payload\\.parameters(\\.next)+: nested deeper than ${Limits.maxObjectDepth} levels$`),
      );
  });

  it.each([null, undefined, 42, 'text', [], [validEvent()], true])(
    'rejects a non-object (%p) without throwing',
    (value) => {
      expect(validateEvent(value)).toMatchObject({ ok: false, reason: 'not-an-object' });
    },
  );

  it('lists every broken field, not only the first', () => {
    const result = validateEvent(
      eventWith((e) => ((e.payload.confidence = 7), (e.payload.amount.value = -1))),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toHaveLength(2);
  });
});

describe('validateEventOn', () => {
  it('accepts an event on its own topic', () => {
    expect(
      validateEventOn(
        Topic.DecisionProposed,
        eventWith(() => undefined),
      ),
    ).toMatchObject({ ok: true });
  });
});

describe('decodeEvent', () => {
  it('round-trips an encoded event', () => {
    const event = validEvent();
    const result = decodeEvent(Topic.DecisionProposed, encodeEvent(event));
    expect(result).toMatchObject({ ok: true, value: { eventId: event.eventId, decisionId: 'dec-1' } });
  });

  it.each([
    ['not JSON', Buffer.from('{"eventId": '), 'not-json'],
    ['binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x12]), 'not-json'],
    ['an empty value', Buffer.alloc(0), 'empty'],
    ['a null value (tombstone)', null, 'empty'],
    ['a JSON string', Buffer.from('"hello"'), 'not-an-object'],
    ['JSON null', Buffer.from('null'), 'not-an-object'],
  ])('rejects %s', (_name, bytes, reason) => {
    expect(decodeEvent(Topic.DecisionProposed, bytes)).toMatchObject({ ok: false, reason });
  });

  it('rejects invalid UTF-8 inside a string instead of keeping replacement characters', () => {
    const json = encodeEvent(validEvent()).toString('utf8');
    const [before, after] = json.split('"refund"');
    const bytes = Buffer.concat([
      Buffer.from(`${before}"ref`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(`und"${after}`),
    ]);
    expect(decodeEvent(Topic.DecisionProposed, bytes)).toEqual({
      ok: false,
      reason: 'not-json',
      errors: ['(root): not valid UTF-8 text, which JSON must be'],
    });
  });

  it.each([
    ['objects', (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n), 'unsafe-structure'],
    ['arrays', (n: number) => '['.repeat(n) + ']'.repeat(n), 'not-an-object'],
  ])('rejects 10,000 levels of nested %s without overflowing the stack', (_name, nested, reason) => {
    const result = decodeEvent(Topic.DecisionProposed, Buffer.from(nested(10_000)));
    expect(result).toMatchObject({ ok: false, reason });
  });

  it('rejects a message over the size limit before parsing it', () => {
    const big = Buffer.from(JSON.stringify({ pad: 'x'.repeat(Limits.maxEventBytes) }));
    const result = decodeEvent(Topic.DecisionProposed, big);
    expect(result).toMatchObject({ ok: false, reason: 'too-large' });
    if (!result.ok)
      expect(result.errors[0]).toContain(
        `${big.length} bytes is more than the ${Limits.maxEventBytes}-byte limit`,
      );
  });
});

describe('execution reports', () => {
  const failed = () =>
    JSON.parse(
      JSON.stringify({
        ...newEvent('ActionFailed', {
          decisionId: 'dec-1',
          producer: 'billing-credits',
          payload: {
            executor: 'billing-credits',
            attempt: 1,
            idempotencyKey: 'dec-1#1',
            durationMs: 12,
            error: { message: 'the billing API timed out', code: 'timeout' },
            retryable: true,
            willRetry: false,
            context: { accountId: 'ACC-1' },
          },
        }),
      }),
    ) as { payload: Record<string, unknown> } & Record<string, unknown>;

  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['a valid failure', {}, undefined],
    ['attempt 0', { attempt: 0 }, 'payload.attempt'],
    ['no error', { error: undefined }, 'payload.error'],
    ['an error code that is not a slug', { error: { message: 'x', code: 'Bad Code' } }, 'payload.error.code'],
    ['willRetry not a boolean', { willRetry: 'no' }, 'payload.willRetry'],
  ])('%s', (_name, change, field) => {
    const event = failed();
    event.payload = { ...event.payload, ...change };
    const result = validateEventOn(Topic.ActionFailed, event);
    expect(result.ok).toBe(field === undefined);
    if (!result.ok && field) expect(result.errors.join('\n')).toContain(field);
  });

  it('refuses an execution report on another topic', () => {
    expect(validateEventOn(Topic.ActionExecuted, failed()).ok).toBe(false);
  });
});

describe('policy published', () => {
  const published = (regression?: Record<string, unknown>) =>
    JSON.parse(
      JSON.stringify(
        newEvent('PolicyPublished', {
          producer: 'control',
          correlationId: 'policy-reference-v2',
          payload: {
            policyId: 'reference',
            version: 2,
            document: { policyId: 'reference' },
            publishedBy: 'risk-office',
            ...(regression ? { regression: regression as never } : {}),
          },
        }),
      ),
    );

  it.each<[string, Record<string, unknown> | undefined, string | undefined]>([
    ['no regression check (as before suites existed)', undefined, undefined],
    ['a clean check', { suites: 2, cases: 24, changed: 0 }, undefined],
    [
      'a confirmed change',
      { suites: 1, cases: 12, changed: 3, confirmedBy: 'risk-office', reason: 'stricter refunds' },
      undefined,
    ],
    ['a negative count', { suites: 1, cases: 12, changed: -1 }, 'payload.regression.changed'],
    ['an unknown field', { suites: 1, cases: 12, changed: 0, skipped: 1 }, 'payload.regression.skipped'],
    ['an empty reason', { suites: 1, cases: 1, changed: 1, reason: '' }, 'payload.regression.reason'],
  ])('%s', (_name, regression, field) => {
    const result = validateEventOn(Topic.PolicyPublished, published(regression));
    expect(result.ok).toBe(field === undefined);
    if (!result.ok && field) expect(result.errors.join('\n')).toContain(field);
  });
});
