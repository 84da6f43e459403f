import { FilterShape, PREFIXED_STRING, Shape } from './filter-shape';
import { BOUNDED_COLLECTIONS, KNOWN_SCANS } from './bounded-collections';
import { StoreCommand } from './store-command';

/**
 * How a query costs on the store. FerretDB v1 answers only an exact `_id` without reading the whole
 * collection (README, "Designing around FerretDB v1"), so any other filter costs in proportion to everything
 * the collection ever held: a `scan`, which the steady state of a service must not run.
 */
export interface StoreAccess {
  /** `known`: a scan named in KNOWN_SCANS at its code site, reported apart until it is fixed. */
  cost: 'cheap' | 'scan' | 'known';
  /** Why, in words, for the check's report and the inventory. */
  reason: string;
}

/** The comment prefix that marks an operator-run path (export, verify, rebuild, CLI, bench). */
export const OFFLINE_COMMENT = 'offline:';
/** The comment prefix that names a known scan (KNOWN_SCANS) at its code site. */
export const DEBT_COMMENT = 'debt:';

// Only string and ObjectId keys are looked up by the store; a numeric _id is scanned for.
const KEY_TYPES = new Set(['string', 'objectId']);
const LOWER = ['$gt', '$gte'];
/** Writes that change or remove stored documents: FerretDB v1 reads the whole collection to find them. */
const WRITES_IN_PLACE = new Set(['update', 'delete', 'findAndModify']);
const UPPER = ['$lt', '$lte'];

function isExactId(id: Shape | undefined): boolean {
  if (typeof id === 'string') return id.startsWith('$eq:') && KEY_TYPES.has(id.slice('$eq:'.length));
  // {_id: {$eq: x}} written out is the same lookup.
  if (id && !Array.isArray(id) && Object.keys(id).length === 1 && typeof id.$eq === 'string') {
    return KEY_TYPES.has(id.$eq);
  }
  return false;
}

function isPrefixRange(id: Shape | undefined): boolean {
  if (!id || typeof id === 'string' || Array.isArray(id)) return false;
  const operators = Object.keys(id);
  const lower = operators.filter((operator) => LOWER.includes(operator));
  const upper = operators.filter((operator) => UPPER.includes(operator));
  return (
    lower.length === 1 &&
    upper.length === 1 &&
    operators.length === 2 &&
    id[lower[0]] === PREFIXED_STRING &&
    id[upper[0]] === PREFIXED_STRING
  );
}

function scanReason(command: StoreCommand, filter: FilterShape): string {
  const fields = Object.keys(filter);
  if (command.command === 'aggregate' && command.pipeline?.[0] !== '$match') {
    return 'an aggregation without a leading $match reads the whole collection';
  }
  if (fields.length === 0) return 'no filter: reads the whole collection';
  const id = filter._id;
  if (id !== undefined && typeof id !== 'string' && !Array.isArray(id) && '$in' in id) {
    return '_id $in: not an exact _id, the store scans for it';
  }
  if (id !== undefined)
    return '_id condition that is neither an exact match nor a range under one key prefix';
  return `filters on ${fields.join(', ')} without an exact _id`;
}

/**
 * Whether a recorded query is cheap: an insert; a read by exact `_id` (not `$in`), with any further
 * conditions; a read of an `_id` range whose two bounds share a key prefix; anything on a collection bounded by
 * open work (BOUNDED_COLLECTIONS); or a command whose comment marks it off the steady state (`offline:<what>`).
 * Anything else is a scan, including an update or delete by exact `_id` outside a bounded collection.
 */
export function classifyStoreCommand(
  command: StoreCommand,
  bounded: Readonly<Record<string, string>> = BOUNDED_COLLECTIONS,
  known: Readonly<Record<string, string>> = KNOWN_SCANS,
): StoreAccess {
  const offline = command.comment?.startsWith(OFFLINE_COMMENT)
    ? command.comment.slice(OFFLINE_COMMENT.length).trim()
    : '';
  if (offline) return { cost: 'cheap', reason: `operator-run (${offline})` };
  if (command.command === 'insert') return { cost: 'cheap', reason: 'insert' };
  // A cursor's later batches: the find or aggregate that opened it is what is classified.
  if (command.command === 'getMore') return { cost: 'cheap', reason: 'continues a cursor' };
  const boundedBy = bounded[command.collection];
  if (boundedBy) return { cost: 'cheap', reason: `bounded collection: ${boundedBy}` };
  const filter = command.filter ?? {};
  const debt = command.comment?.startsWith(DEBT_COMMENT) ? command.comment.slice(DEBT_COMMENT.length) : '';
  if (debt && known[debt]) return { cost: 'known', reason: `known scan ${debt}: ${known[debt]}` };
  if (WRITES_IN_PLACE.has(command.command)) {
    // Measured: updateOne and deleteOne by _id take ~100 ms on 50,000 documents, growing with the collection.
    return {
      cost: 'scan',
      reason: `${command.command} decodes the whole collection on FerretDB v1, even by exact _id${Object.keys(filter).length && !isExactId(filter._id) ? ` (and it filters on ${Object.keys(filter).join(', ')})` : ''}: keep such writes to bounded collections`,
    };
  }
  if (isExactId(filter._id)) return { cost: 'cheap', reason: 'exact _id' };
  if (isPrefixRange(filter._id)) return { cost: 'cheap', reason: '_id range under one key prefix' };
  return { cost: 'scan', reason: scanReason(command, filter) };
}
