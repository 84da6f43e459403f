import {
  DeadLetterHeader,
  exampleDecisionProposed,
  newEvent,
  PlatformEvent,
  Topic,
  TOPIC_SPECS,
} from '@oversight/contracts';
import { ensureTopics } from '@oversight/messaging';
import {
  eventually,
  kcatConsume,
  KcatDelivery,
  kcatProduce,
  KcatRecord,
  PlatformProcesses,
  testKafka,
  uniqueName,
} from '@oversight/testing';

/** A valid proposal's JSON text, with `parameters` (or the whole payload field `field`) swapped for raw JSON. */
const proposalText = (decisionId: string, raw?: { field: string; json: string }) => {
  const event = newEvent('DecisionProposed', {
    decisionId,
    producer: 'kcat-agent',
    payload: exampleDecisionProposed(),
  });
  const placeholder = '__raw_json__';
  if (raw) (event.payload as unknown as Record<string, unknown>)[raw.field] = placeholder;
  const text = JSON.stringify(event);
  return raw ? text.replace(`"${placeholder}"`, raw.json) : text;
};

interface HostileCase {
  name: string;
  value: (decisionId: string) => Buffer | string | null;
  reason: string;
  /** Who the message is keyed by; by default the decision of the valid event that follows it. */
  key?: (decisionId: string) => string | null;
}

const NEAR_BROKER_LIMIT = 990_000; // kcat's (librdkafka's) message.max.bytes is 1,000,000; the broker's ~1 MiB.

const HOSTILE: HostileCase[] = [
  { name: 'bytes that are not JSON', value: () => '{"eventId": "oops"', reason: 'not-json' },
  {
    name: 'binary garbage (invalid UTF-8)',
    value: () => Buffer.from([0xff, 0xfe, 0x00, 0x9c]),
    reason: 'not-json',
  },
  {
    name: 'a valid event with invalid UTF-8 inside a string',
    value: (id) => {
      const [before, after] = proposalText(id).split('"refund"');
      return Buffer.concat([
        Buffer.from(`${before}"ref`),
        Buffer.from([0xc3, 0x28]),
        Buffer.from(`und"${after}`),
      ]);
    },
    reason: 'not-json',
  },
  { name: 'an empty value', value: () => '', reason: 'empty' },
  { name: 'a null value (tombstone)', value: () => null, reason: 'empty' },
  { name: 'JSON null', value: () => 'null', reason: 'not-an-object' },
  { name: 'a JSON array of a valid event', value: (id) => `[${proposalText(id)}]`, reason: 'not-an-object' },
  {
    name: 'wrong types (confidence as a string)',
    value: (id) => proposalText(id, { field: 'confidence', json: '"0.97"' }),
    reason: 'invalid-payload',
  },
  {
    name: 'a NaN-like string',
    value: (id) => proposalText(id, { field: 'confidence', json: '"NaN"' }),
    reason: 'invalid-payload',
  },
  {
    name: 'a number beyond a double (1e400)',
    value: (id) => proposalText(id, { field: 'confidence', json: '1e400' }),
    reason: 'unsafe-structure',
  },
  {
    name: 'a negative amount',
    value: (id) => proposalText(id, { field: 'amount', json: '{"value":-12,"currency":"USD"}' }),
    reason: 'invalid-payload',
  },
  {
    name: 'a huge integer JSON would round',
    value: (id) =>
      proposalText(id, { field: 'parameters', json: '{"accountNo":123456789012345678901234567890}' }),
    reason: 'unsafe-structure',
  },
  {
    name: 'a __proto__ key',
    value: (id) =>
      proposalText(id, { field: 'parameters', json: '{"__proto__":{"polluted":true,"tier":"low"}}' }),
    reason: 'unsafe-structure',
  },
  {
    name: 'constructor.prototype keys',
    value: (id) =>
      proposalText(id, { field: 'parameters', json: '{"constructor":{"prototype":{"polluted":true}}}' }),
    reason: 'unsafe-structure',
  },
  {
    name: 'MongoDB operator keys ($where, $gt)',
    value: (id) =>
      proposalText(id, { field: 'parameters', json: '{"$where":"sleep(5000)","amount":{"$gt":0}}' }),
    reason: 'unsafe-structure',
  },
  {
    name: '10,000 levels of nested objects',
    value: (id) =>
      proposalText(id, { field: 'parameters', json: '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) }),
    reason: 'unsafe-structure',
  },
  {
    name: '10,000 levels of nested arrays',
    value: () => '['.repeat(10_000) + ']'.repeat(10_000),
    reason: 'not-an-object',
  },
  {
    name: `a value of ${NEAR_BROKER_LIMIT} bytes, near the broker's limit`,
    value: () => `{"pad":"${'x'.repeat(NEAR_BROKER_LIMIT - 10)}"}`,
    reason: 'too-large',
  },
  {
    name: 'a valid event without a key',
    value: (id) => proposalText(`${id}-unkeyed`),
    key: () => null,
    reason: 'wrong-key',
  },
  {
    name: 'a valid event keyed by another decision',
    value: (id) => proposalText(`${id}-other`),
    reason: 'wrong-key',
  },
];

/**
 * Input from a client nobody here wrote: kcat (librdkafka) publishes raw hostile bytes to decision.proposed.v1,
 * interleaved with valid proposals, while scoring runs as its own process. Every hostile message must land in
 * the dead-letter topic with its reason and source offset, every valid one must be scored, and scoring must
 * neither exit nor restart. The outcomes are read back with kcat too.
 */
describe('hostile input on decision.proposed.v1 (kcat, scoring as a process)', () => {
  const platform = new PlatformProcesses(['scoring']);
  const scoringGroup = platform.env.SCORING_CONSUMER_GROUP;
  const startedAt = Date.now();
  // After every third hostile message a valid one, keyed like them: a poison message that stalled its
  // partition would hold the valid proposal behind it.
  const validIds = Array.from({ length: Math.ceil(HOSTILE.length / 3) + 1 }, () => uniqueName('dec'));
  const sentHostile: { hostile: HostileCase; delivery: KcatDelivery }[] = [];
  const sentValid: { decisionId: string; delivery: KcatDelivery }[] = [];
  let scoringPid: number | undefined;

  beforeAll(async () => {
    const kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    // On a broker that has just created them, kcat's first produce may find no leader yet.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await eventually(() => admin.fetchTopicOffsets(Topic.DecisionProposed), { timeoutMs: 30_000 });
      await eventually(() => admin.fetchTopicOffsets(Topic.DeadLetter), { timeoutMs: 30_000 });
    } finally {
      await admin.disconnect();
    }
    await platform.start();
    scoringPid = platform.process('scoring').pid;

    const sendValid = async (decisionId: string) =>
      sentValid.push({
        decisionId,
        delivery: await kcatProduce(Topic.DecisionProposed, {
          key: decisionId,
          value: proposalText(decisionId),
        }),
      });
    await sendValid(validIds[0]);
    for (const [i, hostile] of HOSTILE.entries()) {
      const next = validIds[Math.floor(i / 3) + 1];
      const key = hostile.key ? hostile.key(next) : next;
      sentHostile.push({
        hostile,
        delivery: await kcatProduce(Topic.DecisionProposed, { key, value: hostile.value(next) }),
      });
      if (i % 3 === 2 || i === HOSTILE.length - 1) await sendValid(next);
    }
  }, 180_000);

  afterAll(() => platform.stop());

  const deadLetters = () =>
    kcatConsume(Topic.DeadLetter, { sinceMs: startedAt }).then((records) =>
      records.filter((r) => r.headers[DeadLetterHeader.ConsumerGroup] === scoringGroup),
    );
  const at = (records: KcatRecord[], { partition, offset }: KcatDelivery) =>
    records.filter(
      (r) =>
        r.headers[DeadLetterHeader.SourcePartition] === String(partition) &&
        r.headers[DeadLetterHeader.SourceOffset] === offset,
    );

  it('dead-letters each hostile message once, with its reason, source offset and original bytes', async () => {
    const letters = await eventually(
      async () => {
        const found = await deadLetters();
        expect(sentHostile.filter(({ delivery }) => at(found, delivery).length === 0)).toEqual([]);
        return found;
      },
      { timeoutMs: 60_000 },
    );
    const input = await kcatConsume(Topic.DecisionProposed, { sinceMs: startedAt });
    const outcomes = sentHostile.map(({ hostile, delivery }) => {
      const [letter, ...more] = at(letters, delivery);
      const [source] = input.filter(
        (r) => r.partition === delivery.partition && String(r.offset) === delivery.offset,
      );
      return {
        name: hostile.name,
        reason: letter?.headers[DeadLetterHeader.Reason],
        sourceTopic: letter?.headers[DeadLetterHeader.SourceTopic],
        errors: JSON.parse(letter?.headers[DeadLetterHeader.Errors] ?? '[]').length > 0,
        duplicates: more.length,
        sameBytes: letter !== undefined && letter.payload === source.payload && letter.key === source.key,
      };
    });
    expect(outcomes).toEqual(
      HOSTILE.map((hostile) => ({
        name: hostile.name,
        reason: hostile.reason,
        sourceTopic: Topic.DecisionProposed,
        errors: true,
        duplicates: 0,
        sameBytes: true,
      })),
    );
    // Nothing valid was dead-lettered. (A new group reads the topic from the beginning, so earlier runs' hostile
    // messages are dead-lettered again: only this run's offsets are looked at.)
    expect(sentValid.flatMap(({ delivery }) => at(letters, delivery))).toEqual([]);
  }, 90_000);

  it('scores every valid proposal around them, the same way before and after the __proto__ one', async () => {
    const scored = await eventually(
      async () => {
        const records = await kcatConsume(Topic.DecisionScored, { sinceMs: startedAt });
        const mine = validIds.map((id) => records.filter((r) => r.key === id));
        expect(mine.map((found) => found.length)).toEqual(validIds.map(() => 1));
        return mine.map(([record]) => JSON.parse(record.payload!) as PlatformEvent<'DecisionScored'>);
      },
      { timeoutMs: 60_000 },
    );
    const verdict = (event: PlatformEvent<'DecisionScored'>) => {
      const { proposal, score, tier, reasons, rule } = event.payload;
      return { proposal, score, tier, reasons, rule };
    };
    // No prototype was polluted: the last proposal, read after every hostile one, scores exactly as the first.
    for (const event of scored) expect(verdict(event)).toEqual(verdict(scored[0]));
    expect(JSON.stringify(scored)).not.toContain('polluted');
  }, 90_000);

  it('kept scoring up the whole time: same process, no crash, no stack overflow', () => {
    const scoring = platform.process('scoring');
    expect(scoring.running).toBe(true);
    expect(scoring.pid).toBe(scoringPid);
    expect(scoring.output).not.toMatch(/consumer stopped for good|Maximum call stack|RangeError/);
  });
});
