import { ConfigService } from '@nestjs/config';
import { RoutingEnvironment } from './config/routing-environment';
import { Claim } from './partition-claims';
import { RoutingClaims } from './routing-claims';
import { RoutingLedgerRepository, SavedFilter } from './routing-ledger.repository';

/** The ledger and checkpoints in memory: what RoutingClaims asks of them, and what it wrote. */
class LedgerInMemory {
  readonly entries = new Map<string, { sourceEventId: string }>();
  readonly offsets = new Map<string, bigint>();
  readonly filters = new Map<string, SavedFilter>();
  lookups: string[] = [];

  async write(claims: readonly Claim[]) {
    for (const c of claims) if (!this.entries.has(c.decisionId)) this.entries.set(c.decisionId, c);
  }
  async claimsOf(ids: readonly string[]) {
    this.lookups.push(...ids);
    return new Map(ids.filter((id) => this.entries.has(id)).map((id) => [id, this.entries.get(id)!]));
  }
  async *allDecisionIds() {
    yield* this.entries.keys();
  }
  async ledgerOffset(key: string) {
    return this.offsets.get(key);
  }
  async saveLedgerOffset(key: string, offset: bigint) {
    this.offsets.set(key, offset);
  }
  async savedFilter(key: string) {
    const saved = this.filters.get(key);
    return saved && { ...saved, bits: new Uint8Array(saved.bits) };
  }
  async saveFilter(key: string, filter: SavedFilter) {
    this.filters.set(key, { ...filter, bits: new Uint8Array(filter.bits) });
  }
}

const settings: Partial<RoutingEnvironment> = {
  ROUTING_CONSUMER_GROUP: 'routing',
  ROUTING_CLAIMS_PER_PARTITION: 10_000,
  ROUTING_LEDGER_WRITE_MS: 1000,
  ROUTING_FILTER_SAVE_EVERY: 3,
};
const config = { get: (key: keyof RoutingEnvironment) => settings[key] } as ConfigService<
  RoutingEnvironment,
  true
>;
const claim = (decisionId: string, offset: number): Claim => ({
  decisionId,
  sourceEventId: `ev-${decisionId}`,
  sourceOffset: String(offset),
});
const KEY = 'routing:decision.scored.v1:0';

describe('RoutingClaims: which decisions a partition routed, across restarts', () => {
  let ledger: LedgerInMemory;
  const claimsWith = () => new RoutingClaims(ledger as unknown as RoutingLedgerRepository, config);
  beforeEach(() => (ledger = new LedgerInMemory()));

  it('seeds a partition without checkpoints from the ledger, and replays nothing', async () => {
    ledger.entries.set('old-1', { sourceEventId: 'ev-old-1' });
    const claims = claimsWith();
    expect(await claims.start(0, '40')).toBe('40');
    expect(await claims.recall(0, ['old-1', 'new-1'])).toEqual([
      { routed: true, by: 'ev-old-1' },
      { routed: false },
    ]);
    expect(ledger.offsets.get(KEY)).toBe(40n);
    expect(ledger.filters.get(KEY)?.offset).toBe(40n);
  });

  it('reads the ledger once to seed every partition without checkpoints', async () => {
    ledger.entries.set('old-1', { sourceEventId: 'ev-old-1' });
    const reads = jest.spyOn(ledger, 'allDecisionIds');
    const claims = claimsWith();
    await Promise.all([claims.start(0, '40'), claims.start(1, '7')]);
    expect(reads).toHaveBeenCalledTimes(1);
    claims.committed(0, [claim('d1', 40)], '41');
    expect(await claims.recall(1, ['old-1', 'd1'])).toEqual([
      { routed: true, by: 'ev-old-1' },
      { routed: false },
    ]);
  });

  it('answers from memory for a decision routed since the last write, without asking the ledger', async () => {
    const claims = claimsWith();
    await claims.start(0, '0');
    claims.committed(0, [claim('d1', 0)], '1');
    ledger.lookups = [];
    expect(await claims.recall(0, ['d1'])).toEqual([{ routed: true, by: 'ev-d1' }]);
    expect(ledger.lookups).toEqual([]);
  });

  it('writes claims behind with the offset they are complete to, and saves the filter every N claims', async () => {
    const claims = claimsWith();
    await claims.start(0, '0');
    claims.committed(0, [claim('d1', 0), claim('d2', 1)], '2');
    await claims.writeBehind();
    expect([...ledger.entries.keys()]).toEqual(['d1', 'd2']);
    expect(ledger.offsets.get(KEY)).toBe(2n);
    expect(ledger.filters.get(KEY)?.offset).toBe(0n);
    claims.committed(0, [claim('d3', 2)], '3');
    await claims.writeBehind();
    expect(ledger.filters.get(KEY)?.offset).toBe(3n);
  });

  it('after a crash, starts the replay where the older checkpoint is and rebuilds what was lost', async () => {
    const before = claimsWith();
    await before.start(0, '0');
    before.committed(0, [claim('d1', 0)], '1');
    await before.writeBehind();
    before.committed(0, [claim('d2', 1), claim('d3', 2)], '3'); // lost: the instance is killed here

    const after = claimsWith();
    expect(await after.start(0, '3')).toBe('0');
    after.replayed(0, [claim('d1', 0), claim('d2', 1), claim('d3', 2)]);
    expect(await after.recall(0, ['d2', 'd3', 'd4'])).toEqual([
      { routed: true, by: 'ev-d2' },
      { routed: true, by: 'ev-d3' },
      { routed: false },
    ]);
    await after.writeBehind();
    expect([...ledger.entries.keys()].sort()).toEqual(['d1', 'd2', 'd3']);
  });
});
