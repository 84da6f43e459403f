import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import { Connection, Model } from 'mongoose';
import type { Db } from 'mongodb';
import { PlatformEvent } from '@oversight/contracts';
import {
  AuditEventRecord,
  AuditEventSource,
  compareIndexes,
  DecisionIndexEntry,
  IndexComparison,
  IndexedEntry,
  indexEntriesFor,
} from '@oversight/audit-trail';
import { GapFreeLists } from '@oversight/persistence';

/** Entries written per insert. */
const APPEND_CHUNK = 1_000;

/** Asked to write over a collection without being told to, or to compare with one that is not there. */
export class IndexRebuildRefused extends Error {}

export interface IndexRebuildReport {
  into: string;
  /** Trail records read. */
  events: number;
  entries: number;
  lists: number;
  /** Reading (and ordering) the trail, and writing the lists. */
  readMs: number;
  writeMs: number;
}

/** The lists one trail record enters its decision in, and where its event was read from. */
interface Listed {
  source: AuditEventSource;
  offset: bigint;
  entries: ReturnType<typeof indexEntriesFor>;
}

/** Kafka order: a list is fed by one topic-partition, so this is each list's order. */
function bySource(a: Listed, b: Listed): number {
  if (a.source.topic !== b.source.topic) return a.source.topic < b.source.topic ? -1 : 1;
  if (a.source.partition !== b.source.partition) return a.source.partition - b.source.partition;
  return a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0;
}

/** `audit_index_rebuilt_20261127101500` (UTC). */
export const rebuiltIndexName = (now = new Date()) =>
  `audit_index_rebuilt_${now.toISOString().replace(/\D/g, '').slice(0, 14)}`;

/**
 * The decision index (DecisionIndexEntry) rebuilt from the audit trail, its source of truth, and compared with
 * the one the audit service keeps. Operator-run (`audit rebuild-index`, `audit compare-index`): both read
 * whole collections, with the comments `offline:audit-rebuild-index` and `offline:audit-compare-index`.
 */
@Injectable()
export class DecisionIndexRebuild {
  constructor(
    @InjectModel(AuditEventRecord.name) private readonly records: Model<AuditEventRecord>,
    @InjectModel(DecisionIndexEntry.name) private readonly live: Model<DecisionIndexEntry>,
    @InjectConnection() private readonly connection: Connection,
  ) {}

  /** The collection the audit service writes and the gateway reads (`audit_index`). */
  get liveCollection(): string {
    return this.live.collection.collectionName;
  }

  /**
   * Enters every event of the trail in its lists, as the audit service did when it consumed it (with
   * indexEntriesFor and the partition it was read from), in the order it was read, into a collection that
   * must not exist yet, or that `replace` drops first.
   *
   * The trail is read once, whole, and ordered here: its offsets are strings, which the store would order
   * "10" before "9", and FerretDB v1 sorts by decoding every document anyway. What is held meanwhile is the
   * entries of each listed event (a few short strings), not the events.
   */
  async rebuild(into: string, { replace = false } = {}): Promise<IndexRebuildReport> {
    if (into === this.liveCollection && !replace) {
      throw new IndexRebuildRefused(
        `${into} is the live index; to replace it, stop the audit service and give --replace`,
      );
    }
    if (await this.exists(into)) {
      if (!replace) throw new IndexRebuildRefused(`${into} already exists; give --replace to drop it first`);
      await this.db.dropCollection(into);
    }

    const started = performance.now();
    const listed: Listed[] = [];
    let events = 0;
    const trail = this.records
      .find({}, { event: 1, source: 1 })
      // Reads the whole trail by design: an operator runs it (docs/store-access.md).
      .comment('offline:audit-rebuild-index')
      .lean<Pick<AuditEventRecord, 'event' | 'source'>>()
      .cursor({ batchSize: 1_000 }) as AsyncIterable<Pick<AuditEventRecord, 'event' | 'source'>>;
    for await (const { event, source } of trail) {
      events += 1;
      const entries = indexEntriesFor(event as unknown as PlatformEvent, source.partition);
      if (entries.length) listed.push({ source, offset: BigInt(source.offset), entries });
    }
    listed.sort(bySource);
    const read = performance.now();

    const lists = new GapFreeLists<DecisionIndexEntry>(this.db.collection(into) as never);
    const names = new Set<string>();
    let entries = 0;
    let chunk: Listed['entries'] = [];
    const flush = async () => {
      await lists.append(chunk);
      chunk = [];
    };
    for (const event of listed) {
      for (const entry of event.entries) {
        chunk.push(entry);
        names.add(entry.list);
      }
      entries += event.entries.length;
      if (chunk.length >= APPEND_CHUNK) await flush();
    }
    if (chunk.length) await flush();

    return {
      into,
      events,
      entries,
      lists: names.size,
      readMs: read - started,
      writeMs: performance.now() - read,
    };
  }

  /** Every list of `rebuilt` against the same list of `against` (the live index unless given). */
  async compare(rebuilt: string, against = this.liveCollection): Promise<IndexComparison> {
    const [live, other] = await Promise.all([this.entriesOf(against), this.entriesOf(rebuilt)]);
    return compareIndexes(live, other);
  }

  private async entriesOf(collection: string): Promise<IndexedEntry[]> {
    if (!(await this.exists(collection)))
      throw new IndexRebuildRefused(`there is no collection ${collection}`);
    return this.db
      .collection<IndexedEntry>(collection)
      .find(
        {},
        {
          projection: { _id: 0, list: 1, seq: 1, decisionId: 1 },
          // Reads the whole index by design: an operator runs it (docs/store-access.md).
          comment: 'offline:audit-compare-index',
          batchSize: 5_000,
        },
      )
      .toArray();
  }

  private async exists(collection: string): Promise<boolean> {
    return (await this.db.listCollections({ name: collection }, { nameOnly: true }).toArray()).length > 0;
  }

  private get db(): Db {
    if (!this.connection.db) throw new Error('not connected to the store');
    return this.connection.db;
  }
}
