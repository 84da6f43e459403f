/** The part of a driver or mongoose collection that findByIds uses: one lookup by exact `_id`. */
export type LookUpById<T> = (id: string) => Promise<T | null | undefined>;

/** Lookups in flight at once per call: enough to hide the round trips, few enough not to crowd the store. */
const PARALLEL_LOOKUPS = 16;

/**
 * The documents with these `_id`s, in the order asked, undefined where there is none. One exact `_id` lookup
 * each, a few at a time, rather than one `{ _id: { $in } }` query: FerretDB v1 serves only an exact `_id` match
 * without decoding the whole collection, so a `$in` costs what a scan of history costs, while a handful of exact
 * lookups costs the same however large the collection grows. (On MongoDB both are index lookups.)
 */
export async function findByIds<T>(
  ids: readonly string[],
  lookUp: LookUpById<T>,
): Promise<(T | undefined)[]> {
  const found: (T | undefined)[] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const at = next++;
      found[at] = (await lookUp(ids[at])) ?? undefined;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_LOOKUPS, ids.length) }, worker));
  return found;
}

/** findByIds as a map from `_id` to document, for the ids found. */
export async function mapByIds<T>(ids: readonly string[], lookUp: LookUpById<T>): Promise<Map<string, T>> {
  const unique = [...new Set(ids)];
  const found = await findByIds(unique, lookUp);
  const byId = new Map<string, T>();
  unique.forEach((id, at) => {
    const doc = found[at];
    if (doc !== undefined) byId.set(id, doc);
  });
  return byId;
}
