import type { DecisionEvent } from '../api/types';
import { fromEvent, haltableFunctions, merge, mergeAll, RoutedDecision } from './oversight-rules';

const row = (id: string, fields: Partial<RoutedDecision> = {}): RoutedDecision => ({
  decisionId: id,
  at: '2026-11-27T10:00:00Z',
  route: 'auto',
  sampled: false,
  ...fields,
});

describe('the oversight list', () => {
  it('puts a new decision first', () => {
    expect(merge([row('a')], row('b')).map((r) => r.decisionId)).toEqual(['b', 'a']);
  });

  it('keeps the live rows when a page of the trail arrives after them, newest of the page on top', () => {
    const live = [row('live-2'), row('live-1')];
    const page = [row('t3'), row('t2'), row('live-1', { route: 'scored' }), row('t1')];
    const merged = mergeAll(live, page);
    expect(merged.map((r) => r.decisionId)).toEqual(['t3', 't2', 'live-1', 't1', 'live-2']);
    expect(merged.find((r) => r.decisionId === 'live-1')?.route).toBe('auto');
    expect(mergeAll(live, [])).toEqual(live);
  });

  it('keeps one row per decision: a sampled approval stays an approval, flagged as sampled', () => {
    const approved = row('a', { mode: 'auto', businessFunction: 'telecom-billing' });
    const sample = row('a', { sampled: true });
    expect(merge(merge([], approved), sample)).toEqual([{ ...approved, sampled: true, mode: 'auto' }]);
  });

  it('keeps the route the feed showed when the trail answers with the decision before it was routed', () => {
    const routed = row('a', { route: 'auto', mode: 'auto' });
    expect(merge([routed], row('a', { route: 'scored' }))).toEqual([{ ...routed, route: 'auto' }]);
    expect(merge([row('a', { route: 'proposed' })], row('a', { route: 'review' }))[0].route).toBe('review');
  });

  it('holds at most the limit', () => {
    const list = ['a', 'b', 'c'].reduce<RoutedDecision[]>((current, id) => merge(current, row(id), 2), []);
    expect(list.map((r) => r.decisionId)).toEqual(['c', 'b']);
  });

  it('reads a live event', () => {
    const event: DecisionEvent = {
      decisionId: 'd1',
      type: 'ActionApproved',
      occurredAt: '2026-11-27T10:00:00Z',
      businessFunction: 'telecom-billing',
      actionType: 'refund',
      amount: 12,
      currency: 'USD',
      tier: 'low',
      route: 'auto',
      mode: 'auto',
      sampled: false,
    };
    expect(fromEvent(event)).toEqual({
      decisionId: 'd1',
      at: '2026-11-27T10:00:00Z',
      businessFunction: 'telecom-billing',
      actionType: 'refund',
      amount: { value: 12, currency: 'USD' },
      tier: 'low',
      route: 'auto',
      mode: 'auto',
      sampled: false,
    });
  });

  it('offers the functions seen and those halted, not the * scope', () => {
    expect(
      haltableFunctions(
        [row('a', { businessFunction: 'telecom-billing' }), row('b')],
        ['*', 'construction-safety'],
      ),
    ).toEqual(['construction-safety', 'telecom-billing']);
  });
});
