import { Injectable, Logger } from '@nestjs/common';
import { Mutex } from 'async-mutex';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { eventKey, PlatformEvent } from '@oversight/contracts';
import { insertInOrder } from '@oversight/persistence';
import {
  AuditEventRecord,
  AuditEventSource,
  auditRecordId,
  chainHash,
  GENESIS_HASH,
} from '@oversight/audit-trail';

/** Heads remembered; beyond this the least recently extended chains are forgotten (and walked again if needed). */
const MAX_REMEMBERED_CHAINS = 20_000;
/**
 * Reloads of one chain an append call makes before it gives up and lets the consumer retry. Counted per chain,
 * not per call: after a restart or a rebalance every chain of a batch may be unknown here, and each costs one
 * reload; only a chain that clashes again after its reload has another writer.
 */
const MAX_RELOADS_PER_CHAIN = 3;

export interface IncomingEvent {
  event: PlatformEvent;
  source: AuditEventSource;
}

export interface AppendResult {
  stored: number;
  alreadyStored: number;
}

interface ChainHead {
  seq: number;
  hash: string;
  eventIds: Set<string>;
}

const emptyHead = (): ChainHead => ({ seq: 0, hash: GENESIS_HASH, eventIds: new Set() });

/**
 * The audit trail's store. Appends only, and without transactions (FerretDB v1 has none, and scans the whole
 * collection on every update): each event becomes one record, linked to the one before it in its chain
 * (decision or control key), and a fetched batch is written with one ordered bulk insert.
 *
 * The head of each chain this instance extends is remembered, so the usual append reads nothing. A chain it
 * does not know is assumed new. Either guess is checked by the store: a record's _id is its chain and seq, so
 * a stale or wrong head clashes with the record already there, the ordered insert stops at the clash, and the
 * chain's head is read back from the store (walked by _id) before the rest is written. A redelivered event is
 * recognised by its eventId, either in the head or by the unique eventId index, and stored once.
 */
@Injectable()
export class AuditTrailRepository {
  private readonly logger = new Logger(AuditTrailRepository.name);
  private readonly heads = new Map<string, ChainHead>();
  /**
   * One append at a time per partition number. A decision's events arrive on several topics, all on the same
   * partition number (they are keyed by decisionId and every decision topic has as many partitions), and the
   * CoPartitionedAssigner gives those partitions to one instance. Two topics' batches of that partition
   * number would race on the same chain heads: catching up on a backlog, every decision of a batch was being
   * extended by another topic's handler at the same moment, each clash cost a reload, and a batch ran out of
   * rounds. Batches of different partition numbers share no chain and are written side by side.
   */
  private readonly appending = new Map<number, Mutex>();

  constructor(@InjectModel(AuditEventRecord.name) private readonly records: Model<AuditEventRecord>) {}

  append(incoming: IncomingEvent[]): Promise<AppendResult> {
    const partition = incoming[0]?.source.partition ?? 0;
    let turn = this.appending.get(partition);
    if (!turn) {
      turn = new Mutex();
      this.appending.set(partition, turn);
    }
    return turn.runExclusive(() => this.appendInTurn(incoming));
  }

  private async appendInTurn(incoming: IncomingEvent[]): Promise<AppendResult> {
    let pending = incoming;
    let stored = 0;
    let alreadyStored = 0;
    const reloads = new Map<string, number>();
    while (pending.length) {
      const { records, headsAfter, skipped } = this.plan(pending);
      // Through the driver: the records are built here, and mongoose's casting and validation of each one were
      // about 5 % of the audit service's busy time under load.
      const { inserted, duplicateAt } = await insertInOrder(this.records.collection as never, records);
      for (let i = 0; i < inserted; i += 1) this.remember(records[i].chainKey, headsAfter[i]);
      stored += inserted;
      if (duplicateAt === undefined) return { stored, alreadyStored: alreadyStored + skipped.length };

      // Events before the clash are settled: written, or skipped as already stored.
      const clash = records[duplicateAt];
      const clashIndex = pending.findIndex(({ event }) => event.eventId === clash.eventId);
      alreadyStored += skipped.filter((index) => index < clashIndex).length;
      pending = pending.slice(clashIndex);
      const reloaded = (reloads.get(clash.chainKey) ?? 0) + 1;
      if (reloaded > MAX_RELOADS_PER_CHAIN) {
        throw new Error(
          `audit: ${records[duplicateAt]._id} (event ${clash.eventId}) still clashes after ${reloaded - 1} ` +
            `reloads of chain ${clash.chainKey}; another writer may be extending it`,
        );
      }
      reloads.set(clash.chainKey, reloaded);
      this.logger.debug(`chain ${clash.chainKey} moved on elsewhere; reading its head from the store`);
      this.heads.set(clash.chainKey, await this.walk(clash.chainKey, this.heads.get(clash.chainKey)));
    }
    return { stored, alreadyStored };
  }

  /** Links each event to its chain's head as known now; the heads are not remembered until written. */
  private plan(pending: IncomingEvent[]) {
    const working = new Map<string, ChainHead>();
    const records: AuditEventRecord[] = [];
    const headsAfter: ChainHead[] = [];
    const skipped: number[] = [];
    const recordedAt = new Date();
    pending.forEach(({ event, source }, index) => {
      const key = chainKeyOf(event);
      const head = working.get(key) ?? this.heads.get(key) ?? emptyHead();
      if (head.eventIds.has(event.eventId)) {
        skipped.push(index);
        return;
      }
      const stored = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
      const link = { seq: head.seq + 1, prevHash: head.hash, hash: chainHash(head.hash, stored) };
      records.push({
        _id: auditRecordId(key, link.seq),
        eventId: event.eventId,
        chainKey: key,
        decisionId: event.decisionId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        producer: event.producer,
        occurredAt: new Date(event.occurredAt),
        recordedAt,
        source,
        chain: link,
        event: stored,
      });
      const next = { seq: link.seq, hash: link.hash, eventIds: new Set(head.eventIds).add(event.eventId) };
      working.set(key, next);
      headsAfter.push(next);
    });
    return { records, headsAfter, skipped };
  }

  /** Reads a chain forward from what is known of it, one exact _id lookup per record, to its last record. */
  private async walk(chainKey: string, from: ChainHead = emptyHead()): Promise<ChainHead> {
    const head = { seq: from.seq, hash: from.hash, eventIds: new Set(from.eventIds) };
    for (;;) {
      const next = await this.records
        .findById(auditRecordId(chainKey, head.seq + 1), { eventId: 1, chain: 1 })
        .lean<Pick<AuditEventRecord, 'eventId' | 'chain'>>()
        .exec();
      if (!next) return head;
      head.seq = next.chain.seq;
      head.hash = next.chain.hash;
      head.eventIds.add(next.eventId);
    }
  }

  private remember(chainKey: string, head: ChainHead) {
    this.heads.delete(chainKey);
    this.heads.set(chainKey, head);
    if (this.heads.size > MAX_REMEMBERED_CHAINS) {
      this.heads.delete(this.heads.keys().next().value as string);
    }
  }
}

/** A decision's events chain together; a control event chains with the others for the same policy or scope. */
export function chainKeyOf(event: PlatformEvent): string {
  return event.decisionId ?? eventKey(event);
}
