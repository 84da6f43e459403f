/** The part of a driver or mongoose collection that insertNew uses. */
export interface InsertableCollection<T> {
  insertMany(docs: T[], options: { ordered: false }): Promise<unknown>;
}

export interface InsertNewResult {
  inserted: number;
  /** Positions (in the given docs) of those whose key was already stored. */
  duplicates: number[];
}

const DUPLICATE_KEY = 11000;

/**
 * Inserts every doc whose unique keys are new and reports the others, in one unordered bulk insert. This is how
 * the platform writes idempotently without transactions (FerretDB v1 has none): a document keyed by a natural
 * id (eventId, decisionId) that is already there was written by an earlier attempt or another instance.
 * Any error other than duplicate keys is thrown.
 */
export async function insertNew<T>(collection: InsertableCollection<T>, docs: T[]): Promise<InsertNewResult> {
  if (docs.length === 0) return { inserted: 0, duplicates: [] };
  try {
    await collection.insertMany(docs, { ordered: false });
    return { inserted: docs.length, duplicates: [] };
  } catch (error) {
    const { writeErrors } = error as { writeErrors?: { code: number; index: number }[] };
    if (!writeErrors?.length || !writeErrors.every((e) => e.code === DUPLICATE_KEY)) throw error;
    const duplicates = writeErrors.map((e) => e.index).sort((a, b) => a - b);
    return { inserted: docs.length - duplicates.length, duplicates };
  }
}

export interface InsertInOrderResult {
  inserted: number;
  /** Position of the first doc whose key was already stored; none after it was written. */
  duplicateAt?: number;
}

/**
 * Docs per ordered insert. FerretDB v1.24 writes a bulk insert 100 documents at a time, and when one of those
 * holds a duplicate it stops inside that hundred but then writes the next hundreds anyway (its ordered
 * fallback breaks out of the inner loop only): an ordered insert of more than 100 docs could leave the docs
 * after a clash written, and gaps in the lists and chains built on it. Found in the soak; checked by
 * libs/persistence/e2e on the real store.
 */
export const ORDERED_INSERT_CHUNK = 100;

/**
 * Inserts docs in order and stops at the first whose unique key is already stored: everything before it is
 * written, nothing after it. For appends where each doc depends on the one before (a hash chain, a gap-free
 * list), so a clash never leaves a gap. Any error other than a duplicate key is thrown.
 */
export async function insertInOrder<T>(
  collection: { insertMany(docs: T[], options: { ordered: true }): Promise<unknown> },
  docs: T[],
): Promise<InsertInOrderResult> {
  for (let start = 0; start < docs.length; start += ORDERED_INSERT_CHUNK) {
    try {
      await collection.insertMany(docs.slice(start, start + ORDERED_INSERT_CHUNK), { ordered: true });
    } catch (error) {
      const { writeErrors } = error as { writeErrors?: { code: number; index: number }[] };
      const first = writeErrors?.[0];
      if (!first || first.code !== DUPLICATE_KEY) throw error;
      return { inserted: start + first.index, duplicateAt: start + first.index };
    }
  }
  return { inserted: docs.length };
}
