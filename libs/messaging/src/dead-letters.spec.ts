import { IHeaders, KafkaMessage } from 'kafkajs';
import { DeadLetterHeader } from '@oversight/contracts';
import { readDeadLetter } from './dead-letters';
import { parseBrokerList } from './kafka-client';

const message = (headers: IHeaders): KafkaMessage => ({
  key: Buffer.from('dec-1'),
  value: Buffer.from('{"broken"'),
  timestamp: '1764000000000',
  attributes: 0,
  offset: '9',
  headers,
});

describe('readDeadLetter', () => {
  it('reads the cause and source back from the headers, with the original bytes', () => {
    const letter = readDeadLetter(
      message({
        [DeadLetterHeader.Reason]: Buffer.from('not-json'),
        [DeadLetterHeader.Errors]: Buffer.from(JSON.stringify(['(root): not valid JSON'])),
        [DeadLetterHeader.SourceTopic]: Buffer.from('decision.proposed.v1'),
        [DeadLetterHeader.SourcePartition]: Buffer.from('4'),
        [DeadLetterHeader.SourceOffset]: Buffer.from('1234'),
        [DeadLetterHeader.ConsumerGroup]: Buffer.from('audit'),
        [DeadLetterHeader.Attempts]: Buffer.from('0'),
        [DeadLetterHeader.FailedAt]: Buffer.from('2026-11-25T10:00:00.000Z'),
      }),
    );
    expect(letter).toMatchObject({
      reason: 'not-json',
      errors: ['(root): not valid JSON'],
      source: { topic: 'decision.proposed.v1', partition: 4, offset: '1234' },
      consumerGroup: 'audit',
      attempts: 0,
    });
    expect(letter.value?.toString()).toBe('{"broken"');
  });

  it('keeps an unparseable errors header as one error rather than failing', () => {
    const letter = readDeadLetter(message({ [DeadLetterHeader.Errors]: 'not json [' }));
    expect(letter.errors).toEqual(['not json [']);
  });
});

describe('parseBrokerList', () => {
  it.each([
    ['127.0.0.1:9092', ['127.0.0.1:9092']],
    ['k1:9092, k2:9092 ,', ['k1:9092', 'k2:9092']],
    ['', []],
  ])('parses %p', (value, brokers) => {
    expect(parseBrokerList(value)).toEqual(brokers);
  });
});
