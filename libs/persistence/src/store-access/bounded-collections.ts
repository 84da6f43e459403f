/**
 * Collections whose size is bounded by open work, not by history: any query on them is cheap however it
 * filters, because they only ever hold what is still in flight (e.g. one document per open review task,
 * deleted when the task closes). The one place to declare one: collection name → why it stays small.
 * docs/store-access.md lists them with the rest of the inventory.
 */
export const BOUNDED_COLLECTIONS: Readonly<Record<string, string>> = {};
