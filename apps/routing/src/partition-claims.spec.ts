import { ClaimFilter } from './claim-filter';
import { Claim, PartitionClaims } from './partition-claims';

const claim = (decisionId: string, sourceOffset: number, sourceEventId = `ev-${decisionId}`): Claim => ({
  decisionId,
  sourceEventId,
  sourceOffset: String(sourceOffset),
});
const fresh = (ledgerOffset = 0n, filterOffset = 0n) =>
  new PartitionClaims(ClaimFilter.sizedFor(1_000, 0.0001), ledgerOffset, filterOffset);

describe('PartitionClaims: what routing knows of a partition without waiting for the store', () => {
  it('knows a decision claimed in a committed transaction, and by which event, before the ledger has it', () => {
    const claims = fresh();
    expect(claims.recall('d1')).toEqual({ known: 'new' });
    claims.committed([claim('d1', 0)], '1');
    expect(claims.recall('d1')).toEqual({ known: 'claimed', by: 'ev-d1' });
  });

  it('after the claim is written to the ledger, answers "maybe" (the ledger then decides)', () => {
    const claims = fresh();
    claims.committed([claim('d1', 0)], '1');
    const { claims: toWrite, through } = claims.toWrite();
    claims.written(toWrite, through);
    expect(claims.recall('d1')).toEqual({ known: 'maybe' });
    expect(claims.unwrittenCount).toBe(0);
    expect(claims.ledgerOffset).toBe(1n);
  });

  it('keeps a claim made while a write was in flight for the next write', () => {
    const claims = fresh();
    claims.committed([claim('d1', 0)], '1');
    const first = claims.toWrite();
    claims.committed([claim('d2', 1)], '2');
    claims.written(first.claims, first.through);
    expect(claims.toWrite().claims.map((c) => c.decisionId)).toEqual(['d2']);
    expect(claims.ledgerOffset).toBe(1n);
  });

  it('keeps the first claim of a decision when a duplicate arrives', () => {
    const claims = fresh();
    claims.committed([claim('d1', 0, 'first')], '1');
    claims.committed([claim('d1', 1, 'second')], '2');
    expect(claims.recall('d1')).toEqual({ known: 'claimed', by: 'first' });
  });

  it.each<[string, bigint, bigint, bigint]>([
    ['the ledger is behind the filter', 5n, 9n, 5n],
    ['the filter is behind the ledger', 9n, 5n, 5n],
    ['both at the same offset', 7n, 7n, 7n],
  ])('replays from the lower of its two offsets when %s', (_case, ledger, filter, from) => {
    expect(fresh(ledger, filter).replayFrom).toBe(from);
  });

  it('replay puts every event in the filter but only what the ledger lacks in the next write', () => {
    const claims = fresh(2n, 0n);
    [claim('a', 0), claim('b', 1), claim('c', 2), claim('d', 3)].forEach((c) => claims.replayed(c));
    expect(['a', 'b', 'c', 'd'].every((id) => claims.recall(id).known !== 'new')).toBe(true);
    expect(claims.toWrite()).toEqual({ claims: [claim('c', 2), claim('d', 3)], through: 4n });
  });
});
