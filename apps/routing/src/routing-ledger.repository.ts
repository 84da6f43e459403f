import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { RoutingLedgerEntry } from './routing-ledger.schema';

const DUPLICATE_KEY = 11000;

export type Claim =
  | { outcome: 'claimed'; entry: RoutingLedgerEntry }
  | { outcome: 'already-claimed'; entry: RoutingLedgerEntry };

/** Records each decision's routing outcome once; the store's unique _id arbitrates between instances. */
@Injectable()
export class RoutingLedgerRepository {
  constructor(@InjectModel(RoutingLedgerEntry.name) private readonly entries: Model<RoutingLedgerEntry>) {}

  async claim(entry: Omit<RoutingLedgerEntry, 'claimedAt' | 'publishedAt'>): Promise<Claim> {
    try {
      const created = await this.entries.create({ ...entry, claimedAt: new Date() });
      return { outcome: 'claimed', entry: created.toObject() };
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      const existing = await this.entries.findById(entry._id).lean<RoutingLedgerEntry>().exec();
      if (!existing) throw new Error(`routing ledger: ${entry._id} was claimed but cannot be read back`);
      return { outcome: 'already-claimed', entry: existing };
    }
  }

  async markPublished(decisionId: string): Promise<void> {
    await this.entries.updateOne({ _id: decisionId }, { $set: { publishedAt: new Date() } }).exec();
  }
}
