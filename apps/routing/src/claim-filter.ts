import { createHash } from 'node:crypto';

/**
 * Which decisions this partition has routed, as a Bloom filter: "no" is certain, "maybe" is checked against
 * the routing ledger. A few bits per decision, so the filter for millions of decisions fits in a few MB and is
 * saved whole with the routing checkpoint. Sized for `capacity` decisions at `falsePositiveRate`; beyond that
 * it answers "maybe" more often (each one a store lookup) but never wrongly "no".
 */
export class ClaimFilter {
  readonly bits: Uint8Array;
  readonly hashes: number;
  private readonly size: number;
  private added: number;

  constructor(shape: { bits: Uint8Array; hashes: number; added?: number }) {
    this.bits = shape.bits;
    this.hashes = shape.hashes;
    this.size = shape.bits.length * 8;
    this.added = shape.added ?? 0;
  }

  /** An empty filter of the standard size for this many decisions and this false-positive rate. */
  static sizedFor(capacity: number, falsePositiveRate: number): ClaimFilter {
    const bitCount = Math.ceil((-capacity * Math.log(falsePositiveRate)) / Math.LN2 ** 2);
    const hashes = Math.max(1, Math.round((bitCount / capacity) * Math.LN2));
    return new ClaimFilter({ bits: new Uint8Array(Math.ceil(bitCount / 8)), hashes });
  }

  /** Decisions added so far (repeats included): past the capacity the filter says "maybe" more often. */
  get count(): number {
    return this.added;
  }

  add(decisionId: string): void {
    const [first, step] = hashPair(decisionId);
    for (let i = 0; i < this.hashes; i += 1) {
      const bit = (first + i * step) % this.size;
      this.bits[bit >>> 3] |= 1 << (bit & 7);
    }
    this.added += 1;
  }

  mightContain(decisionId: string): boolean {
    const [first, step] = hashPair(decisionId);
    for (let i = 0; i < this.hashes; i += 1) {
      const bit = (first + i * step) % this.size;
      if ((this.bits[bit >>> 3] & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }
}

/** Two independent 32-bit hashes for double hashing (Kirsch and Mitzenmacher): bit i = h1 + i·h2. */
function hashPair(value: string): [number, number] {
  const digest = createHash('md5').update(value).digest();
  return [digest.readUInt32LE(0), (digest.readUInt32LE(4) | 1) >>> 0];
}
