import { canonicalJson, ChainedRecord, chainHash, GENESIS_HASH, verifyChains } from './audit-chain';

/** Builds a well-formed chain of events for a key. */
function chain(key: string, events: Record<string, unknown>[]): ChainedRecord[] {
  let prev = GENESIS_HASH;
  return events.map((event, i) => {
    const hash = chainHash(prev, event);
    const record = {
      eventId: `${key}-e${i + 1}`,
      chainKey: key,
      chain: { seq: i + 1, prevHash: prev, hash },
      event,
    };
    prev = hash;
    return record;
  });
}

async function* iterate(records: ChainedRecord[]) {
  yield* records;
}

const verify = (records: ChainedRecord[]) => verifyChains(iterate(records));

describe('canonicalJson', () => {
  it('is the same whatever order keys were written in, at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 'x' })).toBe('{"a":"x","b":1}');
  });

  it('leaves out undefined properties, as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });
});

describe('verifyChains', () => {
  const decisionA = chain('dec-a', [
    { type: 'DecisionProposed', n: 1 },
    { type: 'DecisionScored', n: 2 },
    { type: 'ActionApproved', n: 3 },
  ]);
  const decisionB = chain('dec-b', [{ type: 'DecisionProposed', n: 1 }]);

  it('passes a clean trail and counts what it checked', async () => {
    expect(await verify([...decisionA, ...decisionB])).toEqual({ chains: 2, records: 4 });
  });

  it('names an altered event', async () => {
    const tampered = decisionA.map((r) =>
      r.chain.seq === 2 ? { ...r, event: { type: 'DecisionScored', n: 99 } } : r,
    );
    expect((await verify([...tampered, ...decisionB])).broken).toEqual({
      chainKey: 'dec-a',
      seq: 2,
      eventId: 'dec-a-e2',
      problem: 'its content does not match its hash: the event was altered',
    });
  });

  it('names the record after a removed one', async () => {
    const removed = decisionA.filter((r) => r.chain.seq !== 2);
    expect((await verify(removed)).broken).toMatchObject({
      chainKey: 'dec-a',
      seq: 3,
      problem: 'expected seq 2: a record is missing or out of place',
    });
  });

  it('notices a record whose hash was recomputed after an edit (the next link breaks)', async () => {
    const edited = { type: 'DecisionScored', n: 99 };
    const forged = decisionA.map((r) =>
      r.chain.seq === 2
        ? { ...r, event: edited, chain: { ...r.chain, hash: chainHash(r.chain.prevHash, edited) } }
        : r,
    );
    expect((await verify(forged)).broken).toMatchObject({
      seq: 3,
      problem: 'its previous hash does not match the record before it',
    });
  });
});
