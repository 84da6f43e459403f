import { Mutex } from 'async-mutex';
import { findByIds } from './find-by-ids';
import { insertInOrder } from './insert-new';

/**
 * Insert-only lists read newest first by exact `_id` lookups: each entry is a document `_id: <list>#<seq>`, seq
 * 1, 2, 3… without gaps. FerretDB v1 serves nothing but an exact `_id` lookup without decoding the whole
 * collection, so this is how the platform keeps "the latest N of something" (a day's decisions, a subject's
 * history, a function's latest answers) readable at a cost that does not grow with history. One writer per
 * list at a time is the design (a list per Kafka partition, written by whoever holds the partition); a second
 * writer is caught by the unique `_id`, after which the list's last seq is looked up again.
 */

/** An entry as stored. `at` orders lists merged together. */
export interface ListEntry {
  _id: string;
  list: string;
  seq: number;
  at: Date;
}

/** The part of a driver collection (or mongoose `Model.collection`) the lists use. */
export interface ListCollection<T extends ListEntry> {
  findOne(filter: { _id: string }, options?: { projection?: Record<string, 0 | 1> }): Promise<T | null>;
  insertMany(docs: T[], options: { ordered: true }): Promise<unknown>;
}

export const listEntryId = (list: string, seq: number) => `${list}#${seq}`;

/**
 * The last seq of a gap-free list, from `known` (0, or a seq known to exist): doubling steps until an entry is
 * missing, then halving between the last found and the first missing. About 2·log2(n) lookups.
 */
export async function lastSeq(exists: (seq: number) => Promise<boolean>, known = 0): Promise<number> {
  let found = known;
  let step = 1;
  while (await exists(found + step)) {
    found += step;
    step *= 2;
  }
  let missing = found + step;
  while (missing - found > 1) {
    const middle = Math.floor((found + missing) / 2);
    if (await exists(middle)) found = middle;
    else missing = middle;
  }
  return found;
}

/** Several newest-first sequences as one newest-first sequence, pulling from each only as far as needed. */
export async function* newestFirst<T extends { at: Date }>(lists: AsyncIterator<T>[]): AsyncGenerator<T> {
  const heads = await Promise.all(lists.map((list) => list.next()));
  for (;;) {
    let newest = -1;
    heads.forEach((head, index) => {
      if (!head.done && (newest < 0 || head.value.at > (heads[newest].value as T).at)) newest = index;
    });
    if (newest < 0) return;
    yield heads[newest].value as T;
    heads[newest] = await lists[newest].next();
  }
}

/** Entries read together when walking a list: the first page costs one round of parallel lookups. */
const READ_PAGE = 16;
/**
 * Lookups of one list's last seq an append makes before it gives up (the caller's retry takes over). Counted
 * per list: after a restart every list of a batch may be unknown here, and each costs one lookup; only a list
 * that clashes again after its lookup has another writer.
 */
const MAX_LOOKUPS_PER_LIST = 3;
/** Lists whose last seq is remembered; beyond this the least recently extended are looked up again. */
const MAX_REMEMBERED_LISTS = 20_000;

export class GapFreeLists<T extends ListEntry> {
  private readonly lastSeqs = new Map<string, number>();
  /**
   * One append at a time per instance: handlers of several partitions may extend the same list together, and
   * racing each other they clashed round after round. In turn, only another instance can clash.
   */
  private readonly appending = new Mutex();

  constructor(private readonly collection: ListCollection<T>) {}

  /**
   * Appends each entry to its list, in the order given. A list this instance has not extended yet is assumed
   * new (most are), and the unique `_id` catches a wrong guess, after which its last seq is looked up.
   */
  append(entries: Omit<T, '_id' | 'seq'>[]): Promise<void> {
    return this.appending.runExclusive(() => this.appendInTurn(entries));
  }

  private async appendInTurn(entries: Omit<T, '_id' | 'seq'>[]): Promise<void> {
    let pending = entries;
    let lookUp = new Set<string>();
    const lookups = new Map<string, number>();
    while (pending.length) {
      const docs = await this.place(pending, lookUp);
      // Ordered, so a clash leaves no entry of its list written after it out of order.
      const { inserted, duplicateAt } = await insertInOrder(this.collection, docs);
      for (const doc of docs.slice(0, inserted)) this.remember(doc.list, doc.seq);
      if (duplicateAt === undefined) return;
      const clash = docs[duplicateAt];
      const looked = (lookups.get(clash.list) ?? 0) + 1;
      if (looked > MAX_LOOKUPS_PER_LIST) {
        throw new Error(
          `list ${clash.list} still clashes after ${looked - 1} lookups; another writer is extending it`,
        );
      }
      lookups.set(clash.list, looked);
      pending = pending.slice(duplicateAt);
      lookUp = new Set([clash.list]);
    }
  }

  /** The last seq of a list in the store (0 for a list not started). */
  lastSeqOf(list: string): Promise<number> {
    return lastSeq(
      async (seq) =>
        (await this.collection.findOne({ _id: listEntryId(list, seq) }, { projection: { _id: 1 } })) !== null,
    );
  }

  /**
   * A list's entries, newest first, one exact lookup each, a page of them at a time (see findByIds), read only
   * as far as the caller iterates (and one page ahead). From `startSeq` down when given (a position a reader
   * kept), else from the list's last entry.
   */
  async *newestFirstIn(list: string, startSeq?: number): AsyncGenerator<T> {
    for (let seq = startSeq ?? (await this.lastSeqOf(list)); seq >= 1; seq -= READ_PAGE) {
      const seqs = Array.from({ length: Math.min(READ_PAGE, seq) }, (_, i) => seq - i);
      const page = await findByIds(
        seqs.map((n) => listEntryId(list, n)),
        (id) => this.collection.findOne({ _id: id }),
      );
      for (const entry of page) if (entry) yield entry;
    }
  }

  /**
   * A list's entries after `afterSeq`, oldest first, up to the first seq not written: one exact lookup each, a
   * page of them at a time, plus one for the seq that ends the list. For a reader that keeps its position.
   */
  async entriesAfter(list: string, afterSeq = 0): Promise<T[]> {
    const found: T[] = [];
    for (let seq = afterSeq + 1; ; seq += READ_PAGE) {
      const page = await findByIds(
        Array.from({ length: READ_PAGE }, (_, i) => listEntryId(list, seq + i)),
        (id) => this.collection.findOne({ _id: id }),
      );
      const end = page.findIndex((entry) => !entry);
      found.push(...((end < 0 ? page : page.slice(0, end)) as T[]));
      if (end >= 0) return found;
    }
  }

  /** Several lists (a list's partitions) merged newest first, each from its `startSeqs` entry when given. */
  newestFirstAcross(lists: string[], startSeqs?: (number | null)[]): AsyncGenerator<T> {
    return newestFirst(lists.map((list, i) => this.newestFirstIn(list, startSeqs?.[i] ?? undefined)));
  }

  private async place(pending: Omit<T, '_id' | 'seq'>[], lookUp: Set<string>): Promise<T[]> {
    const next = new Map<string, number>();
    for (const list of new Set(pending.map((entry) => entry.list))) {
      next.set(list, lookUp.has(list) ? await this.lastSeqOf(list) : (this.lastSeqs.get(list) ?? 0));
    }
    return pending.map((entry) => {
      const seq = (next.get(entry.list) as number) + 1;
      next.set(entry.list, seq);
      return { ...entry, _id: listEntryId(entry.list, seq), seq } as T;
    });
  }

  private remember(list: string, seq: number) {
    this.lastSeqs.delete(list);
    this.lastSeqs.set(list, seq);
    if (this.lastSeqs.size > MAX_REMEMBERED_LISTS) {
      this.lastSeqs.delete(this.lastSeqs.keys().next().value as string);
    }
  }
}
