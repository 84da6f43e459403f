import { daysBack, lastSeq, ListedDecision, listsFor, newestFirst } from './decision-index';

describe('finding the last seq of a gap-free list', () => {
  it.each([0, 1, 2, 3, 7, 8, 9, 100, 1_000, 65_537])('%i entries', async (count) => {
    const lookups: number[] = [];
    const exists = async (seq: number) => {
      lookups.push(seq);
      return seq <= count;
    };
    expect(await lastSeq(exists)).toBe(count);
    expect(lookups.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(count + 2)) + 1);
  });

  it('starts from a seq known to exist', async () => {
    const seen: number[] = [];
    expect(await lastSeq(async (seq) => (seen.push(seq), seq <= 41), 40)).toBe(41);
    expect(Math.min(...seen)).toBeGreaterThan(40);
  });
});

describe('merging newest-first lists', () => {
  async function* list(...minutes: number[]): AsyncGenerator<ListedDecision> {
    for (const minute of minutes) yield { decisionId: `d${minute}`, at: new Date(minute * 60_000) };
  }
  const ids = async (lists: AsyncGenerator<ListedDecision>[]) => {
    const out: string[] = [];
    for await (const entry of newestFirst(lists)) out.push(entry.decisionId);
    return out;
  };

  it.each([
    ['interleaved', [list(9, 5, 1), list(8, 7, 2), list()], ['d9', 'd8', 'd7', 'd5', 'd2', 'd1']],
    ['one list', [list(3, 2)], ['d3', 'd2']],
    ['none', [], []],
  ])('%s', async (_name, lists, expected) => {
    expect(await ids(lists as AsyncGenerator<ListedDecision>[])).toEqual(expected);
  });
});

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
