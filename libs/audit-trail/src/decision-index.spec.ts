import { daysBack, listsFor } from './decision-index';

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
