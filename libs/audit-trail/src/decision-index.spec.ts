import { exampleDecisionProposed, newEvent, PlatformEvent } from '@oversight/contracts';
import { daysBack, indexEntriesFor, listsFor, outcomeListsFor } from './decision-index';

describe('lists and days', () => {
  it('enters a proposal by day, by function and day, and by subject, in its partition', () => {
    const at = new Date('2026-11-27T23:59:59.999Z');
    expect(
      listsFor({ businessFunction: 'telecom-billing', subject: { kind: 'customer', id: 'C-1' } }, at, 4),
    ).toEqual(['day/2026-11-27/p4', 'function/telecom-billing/2026-11-27/p4', 'subject/customer/C-1/p4']);
    expect(listsFor({ businessFunction: 'finance-ap' }, at, 0)).toHaveLength(2);
  });

  it.each([
    ['one day', '2026-11-27T01:00:00Z', '2026-11-27T23:00:00Z', ['2026-11-27']],
    [
      'across a month end',
      '2026-10-30T12:00:00Z',
      '2026-11-01T00:00:00Z',
      ['2026-11-01', '2026-10-31', '2026-10-30'],
    ],
    ['from after to', '2026-11-28T00:00:00Z', '2026-11-27T00:00:00Z', []],
  ])('days back: %s', (_name, from, to, expected) => {
    expect(daysBack(new Date(from), new Date(to))).toEqual(expected);
  });
});

describe('lists a decision enters once scored and routed', () => {
  const proposal = exampleDecisionProposed();
  const at = '2026-11-27T10:00:00.000Z';
  const policy = { policyId: 'reference', policyVersion: 3 };
  const routed = { proposal, score: 42, tier: 'medium' as const, riskReasons: [], policy };
  const event = (type: string, payload: Record<string, unknown>) =>
    ({
      ...newEvent('DecisionProposed', { decisionId: 'dec-1', producer: 'test', payload: proposal }),
      type,
      payload,
      occurredAt: at,
    }) as unknown as PlatformEvent;

  it.each([
    [
      'scored: by tier',
      event('DecisionScored', { ...routed, rule: policy }),
      ['tier/medium/2026-11-27/p3', `function/${proposal.businessFunction}/tier/medium/2026-11-27/p3`],
    ],
    [
      'run on its own: the auto route',
      event('ActionApproved', { ...routed, mode: 'auto' }),
      ['route/auto/2026-11-27/p3', `function/${proposal.businessFunction}/route/auto/2026-11-27/p3`],
    ],
    ['approved by people: no new list', event('ActionApproved', { ...routed, mode: 'human' }), []],
    [
      'sent to people',
      event('ReviewRequested', { ...routed, kind: 'blocking' }),
      ['route/review/2026-11-27/p3', `function/${proposal.businessFunction}/route/review/2026-11-27/p3`],
    ],
    [
      'a post-hoc sample is not a route',
      event('ReviewRequested', { ...routed, kind: 'post-hoc-sample' }),
      [],
    ],
    [
      'blocked',
      event('DecisionBlocked', routed),
      ['route/block/2026-11-27/p3', `function/${proposal.businessFunction}/route/block/2026-11-27/p3`],
    ],
    ['anything else', event('ReviewActivity', { act: 'opened' }), []],
  ])('%s', (_name, input, expected) => {
    expect(outcomeListsFor(input, 3)).toEqual(expected);
  });

  it('enters an event in its lists as the decision, stamped with the event time', () => {
    const proposed = { ...event('DecisionProposed', { ...proposal }), decisionId: 'dec-2' } as PlatformEvent;
    expect(indexEntriesFor(proposed, 1)).toEqual(
      listsFor(proposal, new Date(at), 1).map((list) => ({ list, decisionId: 'dec-2', at: new Date(at) })),
    );
    expect(indexEntriesFor(event('DecisionBlocked', routed), 2)).toEqual([
      { list: 'route/block/2026-11-27/p2', decisionId: 'dec-1', at: new Date(at) },
      {
        list: `function/${proposal.businessFunction}/route/block/2026-11-27/p2`,
        decisionId: 'dec-1',
        at: new Date(at),
      },
    ]);
    expect(
      indexEntriesFor({ ...event('DecisionBlocked', routed), decisionId: undefined } as never, 2),
    ).toEqual([]);
  });
});
