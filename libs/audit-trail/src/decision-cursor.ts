import { INDEX_PARTITIONS } from './decision-index';

/**
 * Where a page of the decision list stopped: the day being read and, per partition, the seq of the next entry
 * of that day's list (0 when the partition's list is read to its end, null when it is still to be read from
 * its newest entry). The window (`from`, `to`) and the filter are fixed by the first page, so a page never
 * repeats or skips a decision because new ones arrived meanwhile. Resuming reads from those positions by exact
 * _id, so the hundredth page costs what the first does.
 */
export interface DecisionCursor {
  filter: CursorFilter;
  from: number;
  to: number;
  day: string;
  seqs: (number | null)[];
}

/** The filter fields a cursor is bound to. */
export interface CursorFilter {
  businessFunction?: string;
  route?: string;
  tier?: string;
}

const VERSION = 1;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The opaque token a client passes back as `cursor`: versioned JSON, base64url. */
export function encodeCursor(cursor: DecisionCursor): string {
  return Buffer.from(JSON.stringify({ v: VERSION, ...cursor })).toString('base64url');
}

/** The cursor a token carries, or the reason it is not one this server issued. */
export function decodeCursor(token: string): DecisionCursor | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return { problem: 'is not a cursor this API returned (not base64url JSON)' };
  }
  if (!isRecord(raw) || raw.v !== VERSION) return { problem: 'is not a cursor this API returned' };
  const { filter, from, to, day, seqs } = raw;
  const valid =
    isRecord(filter) &&
    Object.entries(filter).every(
      ([key, value]) => ['businessFunction', 'route', 'tier'].includes(key) && typeof value === 'string',
    ) &&
    Number.isSafeInteger(from) &&
    Number.isSafeInteger(to) &&
    (from as number) <= (to as number) &&
    typeof day === 'string' &&
    DAY.test(day) &&
    Array.isArray(seqs) &&
    seqs.length === INDEX_PARTITIONS &&
    seqs.every((seq) => seq === null || (Number.isSafeInteger(seq) && seq >= 0));
  if (!valid) return { problem: 'is not a cursor this API returned (its fields are malformed)' };
  return {
    filter: filter as CursorFilter,
    from: from as number,
    to: to as number,
    day,
    seqs: seqs as (number | null)[],
  };
}

/** The filter fields of a query, as a cursor records them (absent fields left out, so equal filters compare equal). */
export function cursorFilter(filter: CursorFilter): CursorFilter {
  return Object.fromEntries(
    (['businessFunction', 'route', 'tier'] as const)
      .filter((key) => filter[key] !== undefined)
      .map((key) => [key, filter[key]]),
  );
}

/** Whether a query's filter is the one the cursor was issued for. */
export function sameFilter(cursor: DecisionCursor, filter: CursorFilter): boolean {
  return JSON.stringify(cursor.filter) === JSON.stringify(cursorFilter(filter));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
