import { encodeEvent, exampleDecisionProposed, newEvent, Topic } from '@oversight/contracts';
import { decodeMessage } from './message-decoding';

const proposal = newEvent('DecisionProposed', {
  decisionId: 'dec-7',
  producer: 'billing-gateway',
  payload: exampleDecisionProposed(),
});
const value = encodeEvent(proposal);

describe('decodeMessage: what a consumer accepts off the wire', () => {
  it('accepts a valid event keyed by its decisionId', () => {
    expect(decodeMessage(Topic.DecisionProposed, { key: Buffer.from('dec-7'), value })).toMatchObject({
      ok: true,
      value: { eventId: proposal.eventId },
    });
  });

  it.each<[string, Buffer | null, string]>([
    ['no key', null, '(key): the message has no key; expected "dec-7"'],
    ['another decision’s key', Buffer.from('dec-8'), '(key): "dec-8" is not the event\'s key "dec-7"'],
    ['an empty key', Buffer.alloc(0), '(key): "" is not the event\'s key "dec-7"'],
  ])('dead-letters a valid event with %s as wrong-key', (_name, key, error) => {
    expect(decodeMessage(Topic.DecisionProposed, { key, value })).toEqual({
      ok: false,
      reason: 'wrong-key',
      errors: [error],
    });
  });

  it('reports an invalid value before looking at the key', () => {
    expect(decodeMessage(Topic.DecisionProposed, { key: null, value: Buffer.from('{"x"') })).toMatchObject({
      ok: false,
      reason: 'not-json',
    });
  });
});
