import { createHash } from 'node:crypto';

/** The hash a chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level, so the same event always hashes the same however its keys were
 * ordered when it was written or read back from the store.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** A link: the hash of the previous link's hash followed by the event's canonical JSON. */
export function chainHash(prevHash: string, event: unknown): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(event)).digest('hex');
}

/** Where a stored event sits in its chain (one chain per decision, or per control key). */
export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ChainedRecord {
  eventId: string;
  chainKey: string;
  chain: ChainLink;
  event: unknown;
}

export interface BrokenLink {
  chainKey: string;
  seq: number;
  eventId?: string;
  problem: string;
}

export interface VerificationReport {
  chains: number;
  records: number;
  broken?: BrokenLink;
}

/**
 * Recomputes every chain from records sorted by chainKey then seq, and stops at the first broken link: an
 * edited event (its hash no longer matches), a removed or inserted record (the sequence or the previous hash
 * no longer lines up). Records cut off at the very end of a chain leave no trace in the chain itself; catching
 * that needs the chain heads anchored outside the store.
 */
export async function verifyChains(records: AsyncIterable<ChainedRecord>): Promise<VerificationReport> {
  let chains = 0;
  let count = 0;
  let current: { key: string; seq: number; hash: string } | undefined;

  for await (const record of records) {
    if (record.chainKey !== current?.key) {
      chains += 1;
      current = { key: record.chainKey, seq: 0, hash: GENESIS_HASH };
    }
    count += 1;
    const at = {
      chainKey: record.chainKey ?? '(none)',
      seq: record.chain?.seq ?? current.seq + 1,
      eventId: record.eventId,
    };
    const problem = !record.chain
      ? 'the record has no chain link'
      : record.chain.seq !== current.seq + 1
        ? `expected seq ${current.seq + 1}: a record is missing or out of place`
        : record.chain.prevHash !== current.hash
          ? 'its previous hash does not match the record before it'
          : chainHash(current.hash, record.event) !== record.chain.hash
            ? 'its content does not match its hash: the event was altered'
            : undefined;
    if (problem) return { chains, records: count, broken: { ...at, problem } };
    current = { key: record.chainKey, seq: record.chain.seq, hash: record.chain.hash };
  }
  return { chains, records: count };
}
