import { pipeline, Readable, Transform } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { stringify } from 'csv-stringify';
import { Model, QueryFilter } from 'mongoose';
import { PlatformEvent } from '@oversight/contracts';
import { findByIds, GapFreeLists } from '@oversight/persistence';
import { ChainedRecord, verifyChains, VerificationReport } from './audit-chain';
import { AuditEventRecord, auditRecordId } from './audit-event.schema';
import {
  acrossPartitions,
  dayList,
  daysBack,
  DecisionIndexEntry,
  functionDayList,
  functionRouteDayList,
  functionTierDayList,
  ListedDecision,
  routeDayList,
  subjectList,
  tierDayList,
} from './decision-index';
import { cursorFilter, DecisionCursor } from './decision-cursor';
import { DecisionProjection, projectDecision } from './decision-projection';

export interface DecisionFilter {
  businessFunction?: string;
  route?: string;
  tier?: string;
  /** proposedAt at or after. */
  from?: Date;
  /** proposedAt before. */
  to?: Date;
}

/** The columns of a decision export, in order; also the CSV header. */
export const DECISION_COLUMNS = [
  '_id',
  'state',
  'businessFunction',
  'actionType',
  'route',
  'tier',
  'score',
  'amount',
  'currency',
  'confidence',
  'agentId',
  'modelVersion',
  'requesterId',
  'policyId',
  'policyVersion',
  'sampledForAudit',
  'proposedAt',
  'scoredAt',
  'routedAt',
] as const;

export type ExportFormat = 'ndjson' | 'csv';

/** One page of a decision list. */
export interface DecisionPage {
  decisions: DecisionProjection[];
  /** Where the next page starts; absent once nothing older matches. */
  next?: DecisionCursor;
}

/** Decisions an export folds together (each from its chain, walked by exact _id). */
const DECISIONS_PER_FOLD = 500;
/** How far back a decision list looks when the filter gives no start. */
export const LIST_WINDOW_DAYS = 31;
const DAY_MS = 24 * 3600 * 1000;
/** Decisions looked at (each a chain walk) per list call at most, however few of them match. */
const MAX_EXAMINED = 1_000;
/** Candidates folded together when a route or tier filter may drop some. */
const CANDIDATES_PER_FOLD = 50;
/** Records of a chain looked up together (see walk). */
const CHAIN_PAGE = 8;
/** Longest chain walked record by record; a decision has a handful of events. */
const MAX_CHAIN_WALK = 1_000;

/**
 * The read side of the audit trail: timelines, decision queries, streaming exports, verification. What a person
 * waits for on a screen reads by exact _id (chains, and the decision lists of DecisionIndexEntry); exports and
 * verification, which read everything anyway, scan.
 */
@Injectable()
export class AuditQueries {
  private readonly index: GapFreeLists<DecisionIndexEntry>;

  constructor(
    @InjectModel(AuditEventRecord.name) private readonly records: Model<AuditEventRecord>,
    @InjectModel(DecisionIndexEntry.name) index: Model<DecisionIndexEntry>,
  ) {
    this.index = new GapFreeLists(index.collection as never);
  }

  /**
   * A page of the decisions matching the filter, newest first, from the read side's day lists (see
   * DecisionIndexEntry and listOf): in [from, to), `to` defaulting to now and `from` to LIST_WINDOW_DAYS before
   * it (by proposal time, or for a route or tier filter by routing or scoring time, a moment later). Each
   * candidate is folded from its chain (walked by exact _id); at most MAX_EXAMINED are looked at per call. The
   * page's `next` cursor resumes exactly where it stopped (see DecisionCursor); it is absent once the window is
   * read to its end. (A listed decision whose records are not stored yet is left out.)
   */
  async findDecisions(filter: DecisionFilter, limit = 100, after?: DecisionCursor): Promise<DecisionPage> {
    const to = after ? new Date(after.to) : (filter.to ?? new Date(Date.now() + 1));
    const from = after
      ? new Date(after.from)
      : (filter.from ?? new Date(to.getTime() - LIST_WINDOW_DAYS * DAY_MS));
    const days = daysBack(from, to);
    const first = after ? days.indexOf(after.day) : 0;
    const found: DecisionProjection[] = [];
    if (first < 0) return { decisions: found };
    let examined = 0;
    const full = () => found.length === limit || examined === MAX_EXAMINED;
    // A list that matches the filter exactly (all but route and tier together) yields only results, so no more
    // are folded than the page needs; with route and tier some candidates are dropped once folded.
    const chunkSize = () => (filter.route && filter.tier ? CANDIDATES_PER_FOLD : limit - found.length);
    for (let d = first; d < days.length; d += 1) {
      const lists = acrossPartitions((partition) => listOf(filter, days[d], partition));
      // Each list's position is pinned when the query first reaches it, so an entry appended later (a decision
      // that arrived after the first page) is never on a later page, whichever list it went to.
      const seqs: (number | null)[] =
        d === first && after
          ? [...after.seqs]
          : await Promise.all(lists.map((list) => this.index.lastSeqOf(list)));
      // Every entry read, in the order read; a list's position moves past an entry only once the entry is
      // settled (folded and kept or dropped, or skipped), so a page that fills mid-chunk leaves the rest unread.
      let chunk: { entry: DecisionIndexEntry; candidate: boolean }[] = [];
      const settle = async () => {
        const candidates = chunk.filter((read) => read.candidate).map((read) => read.entry.decisionId);
        const kept = new Map(
          (await this.fold(candidates, filter)).map((decision) => [decision._id, decision]),
        );
        for (const { entry, candidate } of chunk) {
          if (found.length === limit) break;
          const decision = candidate ? kept.get(entry.decisionId) : undefined;
          if (decision) found.push(decision);
          seqs[lists.indexOf(entry.list)] = entry.seq - 1;
        }
        chunk = [];
      };
      const seen = new Set<string>();
      let candidates = 0;
      for await (const entry of this.index.newestFirstAcross(lists, seqs)) {
        if (entry.at < from) break;
        // Newer than the window, or a redelivered proposal listed twice: passed over, but read.
        const candidate = entry.at < to && !seen.has(entry.decisionId);
        seen.add(entry.decisionId);
        chunk.push({ entry, candidate });
        if (candidate) {
          examined += 1;
          candidates += 1;
        }
        if (candidates >= chunkSize() || examined === MAX_EXAMINED) {
          await settle();
          candidates = 0;
          if (full()) break;
        }
      }
      if (chunk.length && found.length < limit) await settle();
      if (full()) {
        return {
          decisions: found,
          next: { filter: cursorFilter(filter), from: from.getTime(), to: to.getTime(), day: days[d], seqs },
        };
      }
    }
    return { decisions: found };
  }

  /** Streams every matching decision as NDJSON lines or CSV rows, without holding them all in memory. */
  exportDecisions(filter: DecisionFilter, format: ExportFormat): Readable {
    const toRows = new Transform({
      objectMode: true,
      transform(decision: DecisionProjection, _encoding, done) {
        const row = Object.fromEntries(
          DECISION_COLUMNS.map((column) => [column, exportValue(decision[column])]),
        );
        done(null, format === 'ndjson' ? `${JSON.stringify(row)}\n` : row);
      },
    });
    // pipeline, not pipe: a store failure mid-export must reach the reader as an error on the stream it holds
    // (pipe() left it waiting forever), and a reader that stops early must stop the store query. The error is
    // the reader's to handle, so the callback has nothing to do.
    const source = Readable.from(this.decisions(filter));
    const settled = () => undefined;
    return format === 'ndjson'
      ? pipeline(source, toRows, settled)
      : pipeline(source, toRows, stringify({ header: true, columns: [...DECISION_COLUMNS] }), settled);
  }

  /**
   * One decision as it stands, folded from its records; undefined when the trail holds none (unknown, or not
   * stored yet). Walks the decision's chain by exact _id (`<decisionId>#1`, `#2`...), the one lookup FerretDB v1
   * serves without scanning the collection, so it costs the same however large the trail is.
   */
  async decision(decisionId: string): Promise<DecisionProjection | undefined> {
    const records = await this.chain(decisionId);
    if (records.length === 0) return undefined;
    return projectDecision(
      decisionId,
      records.map((record) => record.event as unknown as PlatformEvent),
    );
  }

  /**
   * The latest decisions about one subject (a customer, an account, a site), newest first, each as it stands:
   * what a reviewer needs to see how similar requests for the same subject ended. Read from the subject's
   * lists (see DecisionIndexEntry), so it costs the same however large the trail is.
   */
  async decisionsAbout(
    subject: { kind: string; id: string },
    limit = 10,
    excluding?: string,
  ): Promise<DecisionProjection[]> {
    const ids: string[] = [];
    for await (const { decisionId } of this.listed(acrossPartitions((p) => subjectList(subject, p)))) {
      if (decisionId !== excluding) ids.push(decisionId);
      if (ids.length === limit) break;
    }
    return ids.length ? this.fold(ids, {}) : [];
  }

  /** A chain's records in chain order, read by _id one after the other. */
  chain(chainKey: string): Promise<ChainedRecord[]> {
    return this.walk<ChainedRecord>(chainKey, { eventId: 1, chainKey: 1, chain: 1, event: 1 });
  }

  /**
   * The events of one decision in the order they happened. (The chain's order is the order the audit service
   * read them, which across topics may differ by a few milliseconds.) Walked by _id like `chain`: a query by
   * decisionId and a sort would make FerretDB v1 scan the whole trail, which under load takes longer than a
   * reviewer waits.
   */
  async timeline(decisionId: string): Promise<AuditEventRecord[]> {
    const records = await this.walk<AuditEventRecord>(decisionId);
    return records.sort(
      (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.chain.seq - b.chain.seq,
    );
  }

  /** One decision's events, in the order they happened, as NDJSON. */
  exportTimeline(decisionId: string): Readable {
    return Readable.from(
      (async function* (queries: AuditQueries) {
        for (const record of await queries.timeline(decisionId)) yield `${JSON.stringify(record)}\n`;
      })(this),
    );
  }

  /** Recomputes every chain and names the first broken link, if any. */
  verify(): Promise<VerificationReport> {
    const records = this.records
      .find({}, { eventId: 1, chainKey: 1, chain: 1, event: 1 })
      .sort({ chainKey: 1, 'chain.seq': 1 })
      // Reads everything by design: an operator runs it (docs/store-access.md).
      .comment('offline:audit-verify')
      .lean<ChainedRecord>()
      .cursor() as AsyncIterable<ChainedRecord>;
    return verifyChains(records);
  }

  /**
   * Matching decisions, newest proposal first: the proposals of the time range and function open the query,
   * then each chunk of decisions is folded from its chain (walked by exact _id) and filtered by route and
   * tier, which only the folded state knows.
   */
  private async *decisions(filter: DecisionFilter): AsyncGenerator<DecisionProjection> {
    const proposals = this.records
      .find(proposalQuery(filter), { decisionId: 1 })
      .sort({ occurredAt: -1 })
      // An export reads every matching proposal by design: an operator runs it (docs/store-access.md).
      .comment('offline:audit-export')
      .lean<Pick<AuditEventRecord, 'decisionId'>>()
      .cursor() as AsyncIterable<Pick<AuditEventRecord, 'decisionId'>>;
    const seen = new Set<string>();
    let chunk: string[] = [];
    for await (const { decisionId } of proposals) {
      // A retrying agent may propose one decision twice.
      if (!decisionId || seen.has(decisionId)) continue;
      seen.add(decisionId);
      chunk.push(decisionId);
      if (chunk.length === DECISIONS_PER_FOLD) {
        yield* await this.fold(chunk, filter);
        chunk = [];
      }
    }
    if (chunk.length) yield* await this.fold(chunk, filter);
  }

  /** The decisions of some lists, newest first, each once (a redelivered proposal may be listed twice). */
  private async *listed(lists: string[]): AsyncGenerator<ListedDecision> {
    const seen = new Set<string>();
    for await (const entry of this.index.newestFirstAcross(lists)) {
      if (seen.has(entry.decisionId)) continue;
      seen.add(entry.decisionId);
      yield { decisionId: entry.decisionId, at: new Date(entry.at) };
    }
  }

  /**
   * A chain's records in order, looked up by exact _id a page at a time (`#1`…`#8` together, then the next
   * eight): a decision has a handful of events, so most chains cost one round of parallel lookups.
   */
  private async walk<T>(chainKey: string, projection?: Record<string, 1>): Promise<T[]> {
    const records: T[] = [];
    for (let first = 1; first <= MAX_CHAIN_WALK; first += CHAIN_PAGE) {
      const ids = Array.from({ length: CHAIN_PAGE }, (_, i) => auditRecordId(chainKey, first + i));
      const page = await findByIds(ids, (id) => this.records.findById(id, projection).lean<T>().exec());
      const missing = page.findIndex((record) => record === undefined);
      records.push(...(page.slice(0, missing < 0 ? page.length : missing) as T[]));
      if (missing >= 0) break;
    }
    return records;
  }

  /**
   * The decisions as they stand, in the order given, each folded from its chain walked by exact _id (a few
   * chains at a time, see findByIds): a `decisionId: { $in }` query would make FerretDB v1 decode the whole
   * trail. Decisions with no stored records are left out; route and tier filters apply to the folded state.
   */
  private async fold(decisionIds: string[], filter: DecisionFilter): Promise<DecisionProjection[]> {
    const chains = await findByIds(decisionIds, (decisionId) =>
      this.walk<Pick<AuditEventRecord, 'event'>>(decisionId, { event: 1 }),
    );
    return decisionIds
      .flatMap((decisionId, at) => {
        const records = chains[at] ?? [];
        if (records.length === 0) return [];
        return [
          projectDecision(
            decisionId,
            records.map((record) => record.event as unknown as PlatformEvent),
          ),
        ];
      })
      .filter(
        (decision) =>
          (!filter.businessFunction || decision.businessFunction === filter.businessFunction) &&
          (!filter.route || decision.route === filter.route) &&
          (!filter.tier || decision.tier === filter.tier),
      );
  }
}

/**
 * The narrowest list a filter allows: by function and route or tier, else by route, else by tier (these hold
 * only matching decisions, entered when routed or scored), else by function, else every decision of the day.
 * Other filters apply once folded.
 */
function listOf(filter: DecisionFilter, day: string, partition: number): string {
  const fn = filter.businessFunction;
  if (fn && filter.route) return functionRouteDayList(fn, filter.route, day, partition);
  if (fn && filter.tier) return functionTierDayList(fn, filter.tier, day, partition);
  if (filter.route) return routeDayList(filter.route, day, partition);
  if (filter.tier) return tierDayList(filter.tier, day, partition);
  if (filter.businessFunction) return functionDayList(filter.businessFunction, day, partition);
  return dayList(day, partition);
}

function proposalQuery(filter: DecisionFilter): QueryFilter<AuditEventRecord> {
  const query: QueryFilter<AuditEventRecord> = { type: 'DecisionProposed' };
  if (filter.businessFunction) query['event.payload.businessFunction'] = filter.businessFunction;
  if (filter.from || filter.to) {
    query.occurredAt = {
      ...(filter.from ? { $gte: filter.from } : {}),
      ...(filter.to ? { $lt: filter.to } : {}),
    };
  }
  return query;
}

function exportValue(value: unknown): string | number | boolean | null {
  if (value instanceof Date) return value.toISOString();
  if (value === undefined || value === null) return null;
  return value as string | number | boolean;
}
