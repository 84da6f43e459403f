import { GapFreeLists, lastSeq, ListCollection, ListEntry, newestFirst } from './gap-free-list';

interface Listed {
  decisionId: string;
  at: Date;
}

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
  async function* list(...minutes: number[]): AsyncGenerator<Listed> {
    for (const minute of minutes) yield { decisionId: `d${minute}`, at: new Date(minute * 60_000) };
  }
  const ids = async (lists: AsyncGenerator<Listed>[]) => {
    const out: string[] = [];
    for await (const entry of newestFirst(lists)) out.push(entry.decisionId);
    return out;
  };

  it.each([
    ['interleaved', [list(9, 5, 1), list(8, 7, 2), list()], ['d9', 'd8', 'd7', 'd5', 'd2', 'd1']],
    ['one list', [list(3, 2)], ['d3', 'd2']],
    ['none', [], []],
  ])('%s', async (_name, lists, expected) => {
    expect(await ids(lists as AsyncGenerator<Listed>[])).toEqual(expected);
  });
});

/** The two calls the lists make, over a Map, with the store's duplicate-key answer to an unordered insert. */
class MemoryCollection<T extends ListEntry> implements ListCollection<T> {
  readonly docs = new Map<string, T>();
  lookups = 0;

  async findOne(filter: { _id: string }) {
    this.lookups += 1;
    return this.docs.get(filter._id) ?? null;
  }

  /** Ordered: stops at the first duplicate, as the store does. */
  async insertMany(docs: T[]) {
    for (const [index, doc] of docs.entries()) {
      if (this.docs.has(doc._id)) {
        throw Object.assign(new Error('E11000 duplicate key'), { writeErrors: [{ code: 11000, index }] });
      }
      this.docs.set(doc._id, doc);
    }
  }
}

interface Answer extends ListEntry {
  answer: string;
}

describe('gap-free lists', () => {
  const at = (minute: number) => new Date(minute * 60_000);
  const read = async (lists: GapFreeLists<Answer>, names: string[]) => {
    const out: string[] = [];
    for await (const entry of lists.newestFirstAcross(names)) out.push(entry.answer);
    return out;
  };

  it('appends in order and reads back newest first, merged across lists', async () => {
    const lists = new GapFreeLists<Answer>(new MemoryCollection());
    await lists.append([
      { list: 'p0', at: at(1), answer: 'a' },
      { list: 'p1', at: at(2), answer: 'b' },
      { list: 'p0', at: at(3), answer: 'c' },
    ]);
    await lists.append([{ list: 'p1', at: at(4), answer: 'd' }]);
    expect(await read(lists, ['p0', 'p1'])).toEqual(['d', 'c', 'b', 'a']);
    expect(await lists.lastSeqOf('p0')).toBe(2);
  });

  it('continues a list another writer extended, without a gap or an overwrite', async () => {
    const store = new MemoryCollection<Answer>();
    const first = new GapFreeLists<Answer>(store);
    const second = new GapFreeLists<Answer>(store);
    await first.append([{ list: 'p0', at: at(1), answer: 'a' }]);
    // The second writer guesses the list is new, clashes on seq 1, looks the list up and appends after it.
    await second.append([
      { list: 'p0', at: at(2), answer: 'b' },
      { list: 'p0', at: at(3), answer: 'c' },
    ]);
    await first.append([{ list: 'p0', at: at(4), answer: 'd' }]);
    expect([...store.docs.keys()].sort()).toEqual(['p0#1', 'p0#2', 'p0#3', 'p0#4']);
    expect(await read(first, ['p0'])).toEqual(['d', 'c', 'b', 'a']);
  });

  it('reads only as far as the caller iterates', async () => {
    const store = new MemoryCollection<Answer>();
    const lists = new GapFreeLists<Answer>(store);
    await lists.append(Array.from({ length: 1_000 }, (_, i) => ({ list: 'p0', at: at(i), answer: `a${i}` })));
    store.lookups = 0;
    const latest: string[] = [];
    for await (const entry of lists.newestFirstIn('p0')) {
      latest.push(entry.answer);
      if (latest.length === 3) break;
    }
    expect(latest).toEqual(['a999', 'a998', 'a997']);
    // About 2·log2(1,000) to find the last seq, then one page of 16: not the 1,000 entries.
    expect(store.lookups).toBeLessThan(40);
  });

  it('after a restart, extends a batch of many lists it does not know, looking each one up once', async () => {
    const store = new MemoryCollection<Answer>();
    const names = Array.from({ length: 12 }, (_, i) => `p${i}`);
    await new GapFreeLists<Answer>(store).append(names.map((list) => ({ list, at: at(0), answer: 'old' })));
    const restarted = new GapFreeLists<Answer>(store);
    await restarted.append(names.map((list) => ({ list, at: at(1), answer: 'new' })));
    for (const list of names) expect(await read(restarted, [list])).toEqual(['new', 'old']);
  });

  it('takes concurrent appends to one list in turn, so they never clash with each other', async () => {
    const store = new MemoryCollection<Answer>();
    const lists = new GapFreeLists<Answer>(store);
    const batch = (prefix: string) =>
      Array.from({ length: 20 }, (_, i) => ({ list: 'p0', at: at(i), answer: `${prefix}${i}` }));
    await Promise.all([lists.append(batch('a')), lists.append(batch('b')), lists.append(batch('c'))]);
    expect([...store.docs.keys()].sort()).toEqual(Array.from({ length: 60 }, (_, i) => `p0#${i + 1}`).sort());
    // No clash, so no lookup of the list's last seq.
    expect(store.lookups).toBe(0);
  });

  it('reads the entries after a kept position, oldest first, up to the end of the list', async () => {
    const store = new MemoryCollection<Answer>();
    const lists = new GapFreeLists<Answer>(store);
    await lists.append(
      Array.from({ length: 40 }, (_, i) => ({ list: 'p0', at: at(i), answer: `a${i + 1}` })),
    );
    expect((await lists.entriesAfter('p0', 35)).map((e) => e.answer)).toEqual([
      'a36',
      'a37',
      'a38',
      'a39',
      'a40',
    ]);
    expect((await lists.entriesAfter('p0')).map((e) => e.seq)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect(await lists.entriesAfter('p0', 40)).toEqual([]);
    expect(await lists.entriesAfter('never-written')).toEqual([]);
  });

  it('resumes from a kept position without looking for the last seq', async () => {
    const store = new MemoryCollection<Answer>();
    const lists = new GapFreeLists<Answer>(store);
    await lists.append(Array.from({ length: 1_000 }, (_, i) => ({ list: 'p0', at: at(i), answer: `a${i}` })));
    await lists.append([{ list: 'p1', at: at(2_000), answer: 'b0' }]);
    store.lookups = 0;
    const resumed: string[] = [];
    // p0 from its 500th entry, p1 read to its end already (0).
    for await (const entry of lists.newestFirstAcross(['p0', 'p1'], [500, 0])) {
      resumed.push(entry.answer);
      if (resumed.length === 2) break;
    }
    expect(resumed).toEqual(['a499', 'a498']);
    // One page of 16 lookups, plus the one page read ahead: no search for the last seq.
    expect(store.lookups).toBeLessThanOrEqual(32);
  });

  it('passes on a store error that is not a clash', async () => {
    const lists = new GapFreeLists<Answer>({
      findOne: async () => null,
      insertMany: async () => {
        throw new Error('store down');
      },
    });
    await expect(lists.append([{ list: 'p0', at: at(1), answer: 'a' }])).rejects.toThrow('store down');
  });
});
