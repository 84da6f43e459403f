import { exampleDecisionProposed, ReviewActivity } from '@oversight/contracts';
import { openTask } from '../review/review-task';
import { notificationFor } from './review-notification';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const task = openTask({
  eventId: '11111111-2222-4333-8444-555555555555',
  correlationId: 'c-1',
  occurredAt: '2026-11-26T10:00:00.000Z',
  decisionId: 'dec/7',
  payload: {
    proposal: exampleDecisionProposed({
      actionType: 'dispute-credit',
      amount: { value: 1500, currency: 'USD' },
    }),
    score: 62,
    tier: 'high',
    riskReasons: [],
    routingReasons: ['r'],
    policy: { policyId: 'reference', policyVersion: 1 },
    kind: 'blocking',
    approvals: 2,
    eligibleRoles: ['billing-supervisor'],
    excludedApprovers: [],
    dueAt: '2026-11-26T11:00:00.000Z',
    escalation: [{ afterMinutes: 60, notifyRoles: ['billing-director'] }],
    onTimeout: 'reject',
  },
}).task;

const act = (fields: Partial<ReviewActivity>): ReviewActivity => ({
  act: 'opened',
  actor: { kind: 'system', id: 'escalation', roles: [] },
  taskVersion: 1,
  status: 'open',
  quorum: { given: 0, required: 2 },
  ...fields,
});
const meta = { eventId: 'ev-1', occurredAt: '2026-11-26T10:00:01.000Z', consoleUrl: 'http://console.local/' };

describe('notificationFor', () => {
  it.each<[string, Partial<ReviewActivity>, string | undefined, string[] | undefined, string | undefined]>([
    [
      'a new task, to its eligible roles',
      {},
      'task-created',
      ['billing-supervisor'],
      'Review needed: telecom-billing/dispute-credit of 1,500 USD (high tier, 2 approvals, due 2026-11-26T11:00:00.000Z)',
    ],
    [
      'a claim, so the others know',
      { act: 'claimed', actor: { kind: 'user', id: 'sue', roles: ['billing-supervisor'] } },
      'task-claimed',
      ['billing-supervisor'],
      'sue is now working on telecom-billing/dispute-credit of 1,500 USD',
    ],
    [
      'a reassignment, naming the assignee',
      { act: 'reassigned', actor: { kind: 'user', id: 'sam', roles: ['supervisor'] }, assignee: 'bob' },
      'task-claimed',
      ['billing-supervisor'],
      'bob is now working on telecom-billing/dispute-credit of 1,500 USD',
    ],
    [
      'an escalation, to the roles of the step',
      { act: 'escalated', escalation: { level: 1, notifyRoles: ['billing-director'] } },
      'task-escalated',
      ['billing-director'],
      'Escalated to you: telecom-billing/dispute-credit of 1,500 USD was not decided in time (level 1)',
    ],
    ['an approval: nobody', { act: 'approved' }, undefined, undefined, undefined],
    ['a comment: nobody', { act: 'commented' }, undefined, undefined, undefined],
  ])('tells about %s', (_name, fields, kind, roles, text) => {
    const notification = notificationFor(act(fields), task, meta);
    expect(notification?.kind).toBe(kind);
    expect(notification?.roles).toEqual(roles);
    expect(notification?.text).toBe(text);
  });

  it('links to the task in the console and carries what a bridge shows', () => {
    expect(notificationFor(act({}), task, meta)).toMatchObject({
      schema: 'oversight.review-notification.v1',
      deliveryId: 'ev-1',
      link: 'http://console.local/tasks/dec%2F7',
      task: { tier: 'high', amount: { value: 1500, currency: 'USD' }, quorum: { given: 0, required: 2 } },
    });
  });
});

describe('webhook signatures', () => {
  const secret = 'a-webhook-secret-of-at-least-32-chars!';
  const body = '{"hello":"world"}';
  const now = 1_800_000_000;

  it.each<[string, string | undefined, string, number, boolean]>([
    ['a fresh signature over the body', signWebhook(secret, body, now), body, now + 10, true],
    ['another body', signWebhook(secret, body, now), '{"hello":"mars"}', now, false],
    ['another secret', signWebhook('x'.repeat(40), body, now), body, now, false],
    ['an old signature (replay)', signWebhook(secret, body, now), body, now + 301, false],
    ['no header', undefined, body, now, false],
    ['garbage', 't=abc,v1=zz', body, now, false],
  ])('accepts only %s', (_name, header, received, at, expected) => {
    expect(verifyWebhookSignature(secret, header, received, at)).toBe(expected);
  });
});
