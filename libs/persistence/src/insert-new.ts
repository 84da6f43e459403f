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
 * Inserts docs in order and stops at the first whose unique key is already stored: everything before it is
 * written, nothing after it. For appends where each doc depends on the one before (a hash chain), so a clash
 * never leaves a gap. Any error other than a duplicate key is thrown.
 */
export async function insertInOrder<T>(
  collection: { insertMany(docs: T[], options: { ordered: true }): Promise<unknown> },
  docs: T[],
): Promise<InsertInOrderResult> {
  if (docs.length === 0) return { inserted: 0 };
  try {
    await collection.insertMany(docs, { ordered: true });
    return { inserted: docs.length };
  } catch (error) {
    const { writeErrors } = error as { writeErrors?: { code: number; index: number }[] };
    const first = writeErrors?.[0];
    if (!first || first.code !== DUPLICATE_KEY) throw error;
    return { inserted: first.index, duplicateAt: first.index };
  }
}
