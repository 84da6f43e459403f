import { cursorFilter, DecisionCursor, decodeCursor, encodeCursor, sameFilter } from './decision-cursor';
import { INDEX_PARTITIONS } from './decision-index';

const cursor: DecisionCursor = {
  filter: { businessFunction: 'telecom-billing', route: 'auto' },
  from: Date.parse('2026-11-01T00:00:00Z'),
  to: Date.parse('2026-12-02T07:00:00Z'),
  day: '2026-12-01',
  seqs: Array.from({ length: INDEX_PARTITIONS }, (_, i) => (i === 0 ? null : i * 3)),
};
const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('decision list cursor', () => {
  it('comes back as it went out', () => {
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64url JSON', 'not a cursor!', /not base64url JSON/],
    ['another version', token({ v: 2, ...cursor }), /not a cursor this API returned$/],
    ['an unknown filter field', token({ v: 1, ...cursor, filter: { owner: 'x' } }), /malformed/],
    ['a window that ends before it starts', token({ v: 1, ...cursor, to: cursor.from - 1 }), /malformed/],
    ['a day that is not a day', token({ v: 1, ...cursor, day: '2026-12' }), /malformed/],
    ['positions for another partition count', token({ v: 1, ...cursor, seqs: [1] }), /malformed/],
    ['a negative position', token({ v: 1, ...cursor, seqs: cursor.seqs.map(() => -1) }), /malformed/],
    ['a JSON array', token([1, 2]), /not a cursor this API returned$/],
  ])('refuses %s, saying why', (_case, value, reason) => {
    const decoded = decodeCursor(value);
    expect(decoded).toEqual({ problem: expect.stringMatching(reason) });
  });

  it.each([
    [{ businessFunction: 'telecom-billing', route: 'auto' }, true],
    [{ route: 'auto', businessFunction: 'telecom-billing' }, true],
    [{ businessFunction: 'telecom-billing' }, false],
    [{ businessFunction: 'telecom-billing', route: 'auto', tier: 'low' }, false],
    [{ businessFunction: 'finance-ap', route: 'auto' }, false],
  ])('continues only the query it came from: %j → %s', (filter, same) => {
    expect(sameFilter(cursor, filter)).toBe(same);
  });

  it('records only the filter fields given', () => {
    expect(cursorFilter({ tier: 'high', route: undefined })).toEqual({ tier: 'high' });
  });
});
