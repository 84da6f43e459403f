import { ClaimFilter } from './claim-filter';

/** A decision's routing claim: the first DecisionScored event of its decisionId wins. */
export interface Claim {
  decisionId: string;
  sourceEventId: string;
  /** Where that event was read in its partition of decision.scored. */
  sourceOffset: string;
}

/** What the partition knows about a decisionId without asking the store. */
export type Recall =
  | { known: 'new' }
  | { known: 'claimed'; by: string }
  /** The filter says maybe: the routing ledger decides. */
  | { known: 'maybe' };

/**
 * The claims of one partition of decision.scored, as routing keeps them in memory: a filter of every decision
 * the partition has routed, and the claims not yet written to the routing ledger (written behind, off the
 * decision's path). Offsets say how far each is complete: every claim of a message before `ledgerOffset` is in
 * the ledger, and every claim before `filterOffset` is in the filter saved with the checkpoint. After a crash,
 * the messages from the lower of the two up to the committed offset are replayed through `replayed`.
 */
export class PartitionClaims {
  private readonly unwritten = new Map<string, Claim>();
  /** One past the last message whose handling committed. */
  private handledThrough: bigint;

  constructor(
    readonly filter: ClaimFilter,
    public ledgerOffset: bigint,
    public filterOffset: bigint,
  ) {
    this.handledThrough = ledgerOffset > filterOffset ? ledgerOffset : filterOffset;
  }

  /** Where a replay after a crash starts. */
  get replayFrom(): bigint {
    return this.ledgerOffset < this.filterOffset ? this.ledgerOffset : this.filterOffset;
  }

  recall(decisionId: string): Recall {
    const claim = this.unwritten.get(decisionId);
    if (claim) return { known: 'claimed', by: claim.sourceEventId };
    return this.filter.mightContain(decisionId) ? { known: 'maybe' } : { known: 'new' };
  }

  /** Records the claims of a transaction that committed, and how far the partition is handled. */
  committed(claims: readonly Claim[], nextOffset: string): void {
    for (const claim of claims) {
      this.filter.add(claim.decisionId);
      if (!this.unwritten.has(claim.decisionId)) this.unwritten.set(claim.decisionId, claim);
    }
    const next = BigInt(nextOffset);
    if (next > this.handledThrough) this.handledThrough = next;
  }

  /**
   * Rebuilds from an event handled before a crash. Its decision was routed then, unless it was a duplicate; a
   * duplicate's claim is refused by the ledger's unique _id when written, so the first claim stays.
   */
  replayed(claim: Claim): void {
    this.filter.add(claim.decisionId);
    const offset = BigInt(claim.sourceOffset);
    if (offset >= this.ledgerOffset && !this.unwritten.has(claim.decisionId)) {
      this.unwritten.set(claim.decisionId, claim);
    }
    if (offset + 1n > this.handledThrough) this.handledThrough = offset + 1n;
  }

  /** The claims to write to the ledger now, and the offset the ledger is complete to once they are written. */
  toWrite(): { claims: Claim[]; through: bigint } {
    return { claims: [...this.unwritten.values()], through: this.handledThrough };
  }

  /** Forgets claims the ledger now holds; any claimed meanwhile stay for the next write. */
  written(claims: readonly Claim[], through: bigint): void {
    for (const claim of claims) {
      if (this.unwritten.get(claim.decisionId) === claim) this.unwritten.delete(claim.decisionId);
    }
    if (through > this.ledgerOffset) this.ledgerOffset = through;
  }

  get unwrittenCount(): number {
    return this.unwritten.size;
  }
}
