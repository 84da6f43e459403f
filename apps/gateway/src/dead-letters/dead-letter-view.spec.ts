import { KafkaMessage } from 'kafkajs';
import { DeadLetterHeader, Problem } from '@oversight/contracts';
import { integer } from './dead-letters.controller';
import { toDeadLetterItem } from './dead-letter-view';

const message = (value: string | null, extra: Record<string, string> = {}): KafkaMessage =>
  ({
    key: Buffer.from('dec-1'),
    value: value === null ? null : Buffer.from(value),
    offset: '17',
    timestamp: '1764115200000',
    attributes: 0,
    size: 0,
    headers: {
      [DeadLetterHeader.Reason]: Buffer.from('invalid-payload'),
      [DeadLetterHeader.Errors]: Buffer.from(
        JSON.stringify(['payload.confidence: must not be greater than 1']),
      ),
      [DeadLetterHeader.SourceTopic]: Buffer.from('decision.proposed.v1'),
      [DeadLetterHeader.SourcePartition]: Buffer.from('4'),
      [DeadLetterHeader.SourceOffset]: Buffer.from('99'),
      [DeadLetterHeader.ConsumerGroup]: Buffer.from('scoring'),
      [DeadLetterHeader.Attempts]: Buffer.from('0'),
      [DeadLetterHeader.FailedAt]: Buffer.from('2026-11-26T00:00:00.000Z'),
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, Buffer.from(v)])),
    },
  }) as unknown as KafkaMessage;

describe('toDeadLetterItem', () => {
  it.each<[string, KafkaMessage, Record<string, unknown>]>([
    [
      'a JSON original',
      message('{"confidence":7}'),
      { original: { text: '{"confidence":7}', json: { confidence: 7 } } },
    ],
    ['an original that is not JSON', message('not json'), { original: { text: 'not json' } }],
    [
      'an original the broker refused',
      message(null, { [DeadLetterHeader.ValueOmitted]: 'too large' }),
      { original: { text: null }, valueOmitted: 'too large' },
    ],
  ])('shows %s with where it came from and why', (_case, letter, expected) => {
    expect(toDeadLetterItem(2, letter)).toMatchObject({
      partition: 2,
      offset: '17',
      key: 'dec-1',
      reason: 'invalid-payload',
      errors: ['payload.confidence: must not be greater than 1'],
      source: { topic: 'decision.proposed.v1', partition: 4, offset: '99' },
      consumerGroup: 'scoring',
      ...expected,
    });
  });
});

describe('integer (query and path numbers)', () => {
  it.each<[string | undefined, number | undefined, boolean]>([
    [undefined, undefined, false],
    ['', undefined, false],
    ['0', 0, false],
    ['42', 42, false],
    ['-1', undefined, true],
    ['1.5', undefined, true],
    ['abc', undefined, true],
    ['101', undefined, true],
  ])('%s → %s', (text, value, problem) => {
    const problems: Problem[] = [];
    expect(integer('limit', text, 0, 100, problems)).toBe(value);
    expect(problems.length > 0).toBe(problem);
  });
});
