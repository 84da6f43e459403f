import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AnyBulkWriteOperation, Model } from 'mongoose';
import { eventKey, isControlEvent, PlatformEvent } from '@oversight/contracts';
import { chainHash, GENESIS_HASH } from './audit-chain';
import { AuditChain } from './audit-chain.schema';
import { AuditEventRecord, AuditEventSource } from './audit-event.schema';
import { applyToProjection } from './decision-projection';

const DUPLICATE_KEY = 11000;
/** Enough to recognise any redelivery: Kafka redelivers at most what was fetched since the last commit. */
const RECENT_EVENT_IDS = 100;

export interface IncomingEvent {
  event: PlatformEvent;
  source: AuditEventSource;
}

export interface AppendResult {
  stored: number;
  alreadyStored: number;
}

/**
 * The audit trail's store. Appends only: an audit record is never updated or deleted by the platform. Each
 * event is chained to the one before it in its chain (decision or control key) and folded into the decision's
 * projection. Written in three idempotent steps (records, then heads and projections; the caller commits the
 * Kafka offsets last), so a crash anywhere replays to the same result without transactions.
 */
@Injectable()
export class AuditTrailRepository {
  constructor(
    @InjectModel(AuditEventRecord.name) private readonly records: Model<AuditEventRecord>,
    @InjectModel(AuditChain.name) private readonly chains: Model<AuditChain>,
  ) {}

  async append(incoming: IncomingEvent[]): Promise<AppendResult> {
    const keys = [...new Set(incoming.map(({ event }) => chainKeyOf(event)))];
    // One lookup by _id per chain: the one query FerretDB v1 answers without scanning.
    const loaded = await Promise.all(keys.map((key) => this.chains.findById(key).lean<AuditChain>().exec()));
    const heads = new Map(keys.map((key, i) => [key, loaded[i] ?? undefined]));
    const changed = new Map<string, AuditChain>();
    const now = new Date();
    const newRecords: AuditEventRecord[] = [];
    let alreadyStored = 0;

    for (const { event, source } of incoming) {
      const key = chainKeyOf(event);
      const head: AuditChain = heads.get(key) ?? {
        _id: key,
        kind: isControlEvent(event.type) ? 'control' : 'decision',
        seq: 0,
        hash: GENESIS_HASH,
        recentEventIds: [],
        updatedAt: now,
      };
      if (head.recentEventIds.includes(event.eventId)) {
        alreadyStored += 1;
        continue;
      }
      const stored = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
      const link = { seq: head.seq + 1, prevHash: head.hash, hash: chainHash(head.hash, stored) };
      newRecords.push({
        _id: event.eventId,
        chainKey: key,
        decisionId: event.decisionId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        producer: event.producer,
        occurredAt: new Date(event.occurredAt),
        recordedAt: now,
        source,
        chain: link,
        event: stored,
      });
      const next: AuditChain = {
        ...head,
        seq: link.seq,
        hash: link.hash,
        recentEventIds: [...head.recentEventIds, event.eventId].slice(-RECENT_EVENT_IDS),
        updatedAt: now,
      };
      if (next.kind === 'decision') applyToProjection(next, event);
      heads.set(key, next);
      changed.set(key, next);
    }

    const inserted = await this.insertIgnoringDuplicates(newRecords);
    if (changed.size) {
      const ops: AnyBulkWriteOperation<AuditChain>[] = [...changed.values()].map(({ _id, ...fields }) => ({
        updateOne: { filter: { _id }, update: { $set: fields }, upsert: true },
      }));
      await this.chains.bulkWrite(ops, { ordered: false });
    }
    return { stored: inserted, alreadyStored: alreadyStored + (newRecords.length - inserted) };
  }

  /**
   * The events of one decision in the order they happened. (The chain's order is the order the audit service
   * read them, which across topics may differ by a few milliseconds.)
   */
  timeline(decisionId: string): Promise<AuditEventRecord[]> {
    return this.records
      .find({ decisionId })
      .sort({ occurredAt: 1, 'chain.seq': 1 })
      .lean<AuditEventRecord[]>()
      .exec();
  }

  /** Unordered insert: records a crashed earlier attempt already stored fail alone with 11000. */
  private async insertIgnoringDuplicates(records: AuditEventRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    try {
      await this.records.insertMany(records, { ordered: false });
      return records.length;
    } catch (error) {
      const { writeErrors, insertedDocs } = error as {
        writeErrors?: { code: number }[];
        insertedDocs?: unknown[];
      };
      if (!writeErrors?.length || !writeErrors.every((e) => e.code === DUPLICATE_KEY)) throw error;
      return insertedDocs?.length ?? records.length - writeErrors.length;
    }
  }
}

/** A decision's events chain together; a control event chains with the others for the same policy or scope. */
export function chainKeyOf(event: PlatformEvent): string {
  return event.decisionId ?? eventKey(event);
}
