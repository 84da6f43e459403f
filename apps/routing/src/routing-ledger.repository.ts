import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertNew } from '@oversight/persistence';
import { RoutingLedgerEntry } from './routing-ledger.schema';

export type Claim =
  | { outcome: 'claimed'; entry: RoutingLedgerEntry }
  | { outcome: 'already-claimed'; entry: RoutingLedgerEntry };

/** Records each decision's routing outcome once; the store's unique _id arbitrates between instances. */
@Injectable()
export class RoutingLedgerRepository {
  constructor(@InjectModel(RoutingLedgerEntry.name) private readonly entries: Model<RoutingLedgerEntry>) {}

  /**
   * Claims many decisions in one bulk insert; for each, in order, says whether this call claimed it or which
   * entry got there first (an earlier attempt, another instance, or an earlier entry of the same call).
   */
  async claimAll(entries: Omit<RoutingLedgerEntry, 'claimedAt'>[]): Promise<Claim[]> {
    const claimedAt = new Date();
    const docs = entries.map((entry) => ({ ...entry, claimedAt }));
    const { duplicates } = await insertNew(this.entries, docs);
    const taken = new Set(duplicates);
    // Duplicates are rare (redeliveries after a crash, retrying agents): one lookup by _id each.
    return Promise.all(
      docs.map(async (entry, i): Promise<Claim> => {
        if (!taken.has(i)) return { outcome: 'claimed', entry };
        const existing = await this.entries.findById(entry._id).lean<RoutingLedgerEntry>().exec();
        if (!existing) throw new Error(`routing ledger: ${entry._id} was claimed but cannot be read back`);
        return { outcome: 'already-claimed', entry: existing };
      }),
    );
  }
}
