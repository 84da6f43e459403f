import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertNew, mapByIds } from '@oversight/persistence';
import { Claim } from './partition-claims';
import { RoutingCheckpoint, RoutingLedgerEntry } from './routing-ledger.schema';

export interface SavedFilter {
  offset: bigint;
  bits: Uint8Array;
  hashes: number;
  added: number;
}

/** The routing ledger (one claim per decision) and the checkpoints of each partition's claims. */
@Injectable()
export class RoutingLedgerRepository {
  constructor(
    @InjectModel(RoutingLedgerEntry.name) private readonly entries: Model<RoutingLedgerEntry>,
    @InjectModel(RoutingCheckpoint.name) private readonly checkpoints: Model<RoutingCheckpoint>,
  ) {}

  /** Writes claims; a decision already claimed keeps its first claim (the unique _id refuses the second). */
  async write(claims: readonly Claim[]): Promise<void> {
    const claimedAt = new Date();
    await insertNew(
      this.entries.collection as never,
      claims.map((claim) => ({
        _id: claim.decisionId,
        sourceEventId: claim.sourceEventId,
        sourceOffset: claim.sourceOffset,
        claimedAt,
      })),
    );
  }

  /** The claims of these decisions, by exact _id (asked only when the filter says maybe). */
  claimsOf(decisionIds: readonly string[]): Promise<Map<string, RoutingLedgerEntry>> {
    return mapByIds(decisionIds, (id) =>
      this.entries.findById(id, { sourceEventId: 1 }).lean<RoutingLedgerEntry>().exec(),
    );
  }

  /**
   * Every decisionId in the ledger. Read once in a deployment's life, when a partition has no checkpoint yet (the
   * first start after the upgrade to transactions, or of a new deployment, whose ledger is empty): the claims
   * written before seed the filter. A migration step, hence `offline:`; it never runs again for the partition.
   */
  async *allDecisionIds(): AsyncGenerator<string> {
    const query = this.entries.find({}, { _id: 1 }).comment('offline:routing-filter-seed');
    for await (const entry of query.lean<{ _id: string }>().cursor()) {
      yield entry._id;
    }
  }

  async ledgerOffset(partitionKey: string): Promise<bigint | undefined> {
    const saved = await this.checkpoints.findById(`${partitionKey}:ledger`).lean<RoutingCheckpoint>().exec();
    return saved ? BigInt(saved.offset) : undefined;
  }

  async saveLedgerOffset(partitionKey: string, offset: bigint): Promise<void> {
    await this.checkpoints
      .replaceOne(
        { _id: `${partitionKey}:ledger` },
        { _id: `${partitionKey}:ledger`, offset: offset.toString(), savedAt: new Date() },
        { upsert: true },
      )
      .exec();
  }

  async savedFilter(partitionKey: string): Promise<SavedFilter | undefined> {
    const saved = await this.checkpoints.findById(`${partitionKey}:filter`).lean<RoutingCheckpoint>().exec();
    if (!saved?.bits || !saved.hashes) return undefined;
    const bits = Buffer.isBuffer(saved.bits)
      ? saved.bits
      : Buffer.from((saved.bits as unknown as { buffer: Uint8Array }).buffer);
    return {
      offset: BigInt(saved.offset),
      bits: new Uint8Array(bits),
      hashes: saved.hashes,
      added: saved.added ?? 0,
    };
  }

  async saveFilter(partitionKey: string, filter: SavedFilter): Promise<void> {
    await this.checkpoints
      .replaceOne(
        { _id: `${partitionKey}:filter` },
        {
          _id: `${partitionKey}:filter`,
          offset: filter.offset.toString(),
          bits: Buffer.from(filter.bits.buffer, filter.bits.byteOffset, filter.bits.byteLength),
          hashes: filter.hashes,
          added: filter.added,
          savedAt: new Date(),
        },
        { upsert: true },
      )
      .exec();
  }
}
