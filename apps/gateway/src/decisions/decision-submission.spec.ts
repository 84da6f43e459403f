import { exampleDecisionProposed } from '@oversight/contracts';
import { Identity } from '@oversight/auth';
import { checkSubmission } from './decision-submission';

const crm: Identity = { subject: 'crm', roles: ['upstream'], kind: 'service', name: 'crm' };
const dana: Identity = { subject: 'dana', roles: ['upstream'], kind: 'user' };
const { requester: _requester, ...withoutRequester } = exampleDecisionProposed();

describe('checkSubmission', () => {
  it('publishes as the gateway, with a fresh decisionId and the caller as requester', () => {
    const check = checkSubmission(withoutRequester, crm);
    if (!check.ok) throw new Error(JSON.stringify(check));
    expect(check.event).toMatchObject({
      type: 'DecisionProposed',
      producer: 'gateway',
      payload: { requester: { kind: 'service', id: 'crm' }, businessFunction: 'telecom-billing' },
    });
    expect(check.event.decisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(check.event.correlationId).toBe(check.event.decisionId);
  });

  it.each<[string, Identity, Record<string, unknown>, Record<string, unknown>]>([
    ['a person calling is the requester', dana, {}, { payload: { requester: { kind: 'user', id: 'dana' } } }],
    [
      'the caller may name itself',
      crm,
      { requester: { kind: 'service', id: 'crm' } },
      { payload: { requester: { id: 'crm' } } },
    ],
    [
      'an agent with its own key may say it is an agent',
      crm,
      { requester: { kind: 'agent', id: 'crm' } },
      { payload: { requester: { kind: 'agent' } } },
    ],
    [
      'the decisionId and correlationId are kept',
      crm,
      { decisionId: 'dec-42', correlationId: 'crm-case-7' },
      { decisionId: 'dec-42', correlationId: 'crm-case-7' },
    ],
  ])('accepts: %s', (_case, caller, fields, expected) => {
    const check = checkSubmission({ ...withoutRequester, ...fields }, caller);
    if (!check.ok) throw new Error(JSON.stringify(check));
    expect(check.event).toMatchObject(expected);
  });

  it.each<[string, unknown, 400 | 403, { field: string; reason: RegExp }[]]>([
    ['a body that is not an object', [1, 2], 400, [{ field: '(root)', reason: /JSON object/ }]],
    [
      'a confidence of 7',
      { ...withoutRequester, confidence: 7 },
      400,
      [{ field: 'confidence', reason: /not be greater than 1/ }],
    ],
    [
      'a negative amount',
      { ...withoutRequester, amount: { value: -5, currency: 'USD' } },
      400,
      [{ field: 'amount.value', reason: /not be less than 0/ }],
    ],
    [
      'a missing context',
      { ...withoutRequester, context: undefined },
      400,
      [{ field: 'context', reason: /must be an object/ }],
    ],
    [
      'an unknown field',
      { ...withoutRequester, priority: 'high' },
      400,
      [{ field: 'priority', reason: /should not exist/ }],
    ],
    [
      'a decisionId with spaces',
      { ...withoutRequester, decisionId: 'dec 1' },
      400,
      [{ field: 'decisionId', reason: /1-128 characters/ }],
    ],
    [
      'a MongoDB operator key',
      { ...withoutRequester, parameters: { $where: 'sleep(1000)' } },
      400,
      [{ field: 'parameters', reason: /MongoDB operator/ }],
    ],
    [
      'another service as requester',
      { ...withoutRequester, requester: { kind: 'service', id: 'erp' } },
      403,
      [{ field: 'requester.id', reason: /must be crm/ }],
    ],
  ])('refuses %s', (_case, body, status, problems) => {
    const check = checkSubmission(body, crm);
    if (check.ok) throw new Error('accepted');
    expect(check.status).toBe(status);
    expect(check.problems).toEqual(
      expect.arrayContaining(
        problems.map(({ field, reason }) => ({ field, reason: expect.stringMatching(reason) })),
      ),
    );
  });
});
