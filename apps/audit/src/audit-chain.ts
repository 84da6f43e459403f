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
  _id: string;
  chainKey: string;
  chain: ChainLink;
  event: unknown;
}

export interface ChainHead {
  _id: string;
  seq: number;
  hash: string;
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
 * no longer lines up), or a chain whose recorded head is not its last record (records cut off at the end).
 */
export async function verifyChains(
  records: AsyncIterable<ChainedRecord>,
  headOf: (chainKey: string) => Promise<ChainHead | undefined>,
): Promise<VerificationReport> {
  let chains = 0;
  let count = 0;
  let current: { key: string; seq: number; hash: string } | undefined;

  const closeChain = async (): Promise<BrokenLink | undefined> => {
    if (!current) return undefined;
    const head = await headOf(current.key);
    if (!head || head.seq !== current.seq || head.hash !== current.hash) {
      return {
        chainKey: current.key,
        seq: current.seq,
        problem: head
          ? `the chain head says seq ${head.seq} (${head.hash.slice(0, 12)}…) but the last record is seq ${current.seq}`
          : 'the chain has records but no head',
      };
    }
    return undefined;
  };

  for await (const record of records) {
    if (record.chainKey !== current?.key) {
      const broken = await closeChain();
      if (broken) return { chains, records: count, broken };
      chains += 1;
      current = { key: record.chainKey, seq: 0, hash: GENESIS_HASH };
    }
    count += 1;
    if (!record.chain) {
      return {
        chains,
        records: count,
        broken: {
          chainKey: record.chainKey ?? '(none)',
          seq: current.seq + 1,
          eventId: record._id,
          problem: 'the record has no chain link',
        },
      };
    }
    const at = { chainKey: record.chainKey, seq: record.chain.seq, eventId: record._id };
    if (record.chain.seq !== current.seq + 1) {
      return {
        chains,
        records: count,
        broken: { ...at, problem: `expected seq ${current.seq + 1}: a record is missing or out of place` },
      };
    }
    if (record.chain.prevHash !== current.hash) {
      return {
        chains,
        records: count,
        broken: { ...at, problem: 'its previous hash does not match the record before it' },
      };
    }
    if (chainHash(current.hash, record.event) !== record.chain.hash) {
      return {
        chains,
        records: count,
        broken: { ...at, problem: 'its content does not match its hash: the event was altered' },
      };
    }
    current = { key: record.chainKey, seq: record.chain.seq, hash: record.chain.hash };
  }
  const broken = await closeChain();
  return broken ? { chains, records: count, broken } : { chains, records: count };
}
