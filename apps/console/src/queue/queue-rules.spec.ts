import type { ReviewTaskView } from '../api/types';
import { arrangeQueue, formatAmount, functionsOf, NO_FILTER, quorumLabel, slaClock } from './queue-rules';

const NOW = Date.parse('2026-11-27T10:00:00Z');

function task(
  id: string,
  fields: Partial<ReviewTaskView> & { fn?: string; amount?: number } = {},
): ReviewTaskView {
  const { fn = 'telecom-billing', amount, ...rest } = fields;
  return {
    decisionId: id,
    tier: 'medium',
    requestedAt: '2026-11-27T09:00:00Z',
    dueAt: '2026-11-27T11:00:00Z',
    quorum: { given: 0, required: 1 },
    proposal: {
      businessFunction: fn,
      actionType: 'refund',
      agent: { id: 'agent-1', modelId: 'm', modelVersion: '1' },
      subject: { kind: 'customer', id: `cust-${id}` },
      ...(amount !== undefined ? { amount: { value: amount, currency: 'USD' } } : {}),
    },
    ...rest,
  } as ReviewTaskView;
}

describe('the SLA countdown', () => {
  it.each([
    [
      'two hours left of a four-hour SLA',
      '2026-11-27T08:00:00Z',
      '2026-11-27T12:00:00Z',
      '2h 00m left',
      'ok',
    ],
    ['ten minutes left of an hour', '2026-11-27T09:10:00Z', '2026-11-27T10:10:00Z', '10m 00s left', 'soon'],
    ['due right now', '2026-11-27T09:00:00Z', '2026-11-27T10:00:00Z', 'overdue 0m 00s', 'overdue'],
    ['overdue by 90 s', '2026-11-27T09:00:00Z', '2026-11-27T09:58:30Z', 'overdue 1m 30s', 'overdue'],
    ['days away', '2026-11-27T09:00:00Z', '2026-11-30T13:00:00Z', '3d 3h left', 'ok'],
  ])('%s', (_name, requestedAt, dueAt, label, tone) => {
    expect(slaClock(requestedAt, dueAt, NOW)).toEqual({ label, tone });
  });
});

describe('amounts and quorum', () => {
  it.each([
    [{ value: 1_200_000, currency: 'USD' }, '$1,200,000'],
    [{ value: 12.5, currency: 'EUR' }, '€12.50'],
    [{ value: 300 }, '300'],
    [undefined, '—'],
  ])('%j reads %s', (amount, text) => expect(formatAmount(amount)).toBe(text));

  it('says how many approvals of how many', () => {
    expect(quorumLabel({ given: 1, required: 2 })).toBe('1 of 2');
  });
});

describe('arranging the queue', () => {
  const tasks = [
    task('a', { dueAt: '2026-11-27T12:00:00Z', amount: 50, tier: 'low' }),
    task('b', { dueAt: '2026-11-27T10:30:00Z', amount: 1_200_000, tier: 'critical', fn: 'contracts' }),
    task('c', {
      dueAt: '2026-11-27T11:00:00Z',
      amount: 900,
      tier: 'high',
      claim: { by: 'sue', until: '2026-11-27T10:05:00Z' },
    }),
    task('d', {
      dueAt: '2026-11-27T10:45:00Z',
      tier: 'high',
      claim: { by: 'sue', until: '2026-11-27T09:59:00Z' },
    }),
  ];
  const ids = (list: ReviewTaskView[]) => list.map((t) => t.decisionId);

  it.each([
    ['nearest SLA first', NO_FILTER, 'sla', ['b', 'd', 'c', 'a']],
    ['largest amount first, no amount last', NO_FILTER, 'amount', ['b', 'c', 'a', 'd']],
    ['highest tier first, then SLA', NO_FILTER, 'tier', ['b', 'd', 'c', 'a']],
    ['one function', { ...NO_FILTER, businessFunction: 'contracts' }, 'sla', ['b']],
    ['one tier', { ...NO_FILTER, tier: 'high' }, 'sla', ['d', 'c']],
    ['text in the subject', { ...NO_FILTER, text: 'CUST-A' }, 'sla', ['a']],
    [
      'hiding live claims of others, not lapsed ones',
      { ...NO_FILTER, onlyAvailable: true },
      'sla',
      ['b', 'd', 'a'],
    ],
  ] as const)('%s', (_name, filter, sort, expected) => {
    expect(ids(arrangeQueue(tasks, filter, sort, 'bella', NOW))).toEqual(expected);
  });

  it('keeps my own claims when hiding others', () => {
    expect(ids(arrangeQueue(tasks, { ...NO_FILTER, onlyAvailable: true }, 'sla', 'sue', NOW))).toContain('c');
  });

  it('offers each function once, sorted', () => {
    expect(functionsOf(tasks)).toEqual(['contracts', 'telecom-billing']);
  });
});
