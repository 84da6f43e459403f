import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Mutex } from 'async-mutex';
import { Topic } from '@oversight/contracts';
import { ClaimFilter } from './claim-filter';
import { RoutingEnvironment } from './config/routing-environment';
import { Claim, PartitionClaims } from './partition-claims';
import { RoutingLedgerRepository } from './routing-ledger.repository';

const FALSE_POSITIVE_RATE = 0.001;
/**
 * A filter with new claims is saved at least this often, however few: a replay starts at the saved filter's
 * offset, which must stay far inside the topic's retention (hours to days) even on a quiet partition.
 */
const FILTER_SAVE_MAX_AGE_MS = 10 * 60_000;

/** Whether a decision was already routed, and by which event (see RoutingClaims.recall). */
export type Routed = { routed: false } | { routed: true; by: string };

/**
 * The routing claims of the partitions this instance handles: who routed each decision first, known in memory
 * so that the decision's path never waits for the store. Each partition's claims are written behind to the
 * routing ledger every ROUTING_LEDGER_WRITE_MS, and its filter saved every ROUTING_FILTER_SAVE_EVERY claims;
 * both with the input offset they are complete to. When a partition is (re)assigned, its filter is loaded and
 * the input is replayed from those offsets to the committed one, which rebuilds whatever a crash lost.
 */
@Injectable()
export class RoutingClaims implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RoutingClaims.name);
  private readonly partitions = new Map<number, PartitionClaims>();
  private readonly lastSave = new Map<number, { claims: number; at: number }>();
  /** One write-behind at a time, and none while a partition is loaded or dropped. */
  private readonly writing = new Mutex();
  private timer?: NodeJS.Timeout;
  private seed?: Promise<ClaimFilter>;
  private readonly groupId: string;

  constructor(
    private readonly ledger: RoutingLedgerRepository,
    private readonly config: ConfigService<RoutingEnvironment, true>,
  ) {
    this.groupId = config.get('ROUTING_CONSUMER_GROUP', { infer: true });
  }

  onModuleInit(): void {
    const every = this.config.get('ROUTING_LEDGER_WRITE_MS', { infer: true });
    this.timer = setInterval(() => void this.writeBehind().catch((e) => this.warnWriteFailed(e)), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    // Best effort: what is not written now is replayed by the partition's next owner.
    await this.writeBehind().catch((error) => this.warnWriteFailed(error));
  }

  /**
   * Loads a partition's claims when this instance is given it, and says where the replay of its input starts.
   * Whatever it held before is written first, then dropped: the partition may have moved in between.
   */
  async start(partition: number, committedOffset: string): Promise<string> {
    return this.writing.runExclusive(async () => {
      const previous = this.partitions.get(partition);
      if (previous) await this.write(partition, previous).catch((error) => this.warnWriteFailed(error));
      const key = this.keyOf(partition);
      const [ledgerOffset, saved] = await Promise.all([
        this.ledger.ledgerOffset(key),
        this.ledger.savedFilter(key),
      ]);
      let claims: PartitionClaims;
      if (saved && ledgerOffset !== undefined) {
        claims = new PartitionClaims(new ClaimFilter(saved), ledgerOffset, saved.offset);
      } else {
        const seed = await this.seedFilter();
        const filter = new ClaimFilter({ bits: seed.bits.slice(), hashes: seed.hashes, added: seed.count });
        const from = BigInt(committedOffset);
        claims = new PartitionClaims(filter, from, from);
        await this.saveFilter(key, claims);
        await this.ledger.saveLedgerOffset(key, from);
        this.logger.log({
          message: 'claim filter seeded from the routing ledger',
          partition,
          seeded: seed.count,
        });
      }
      this.partitions.set(partition, claims);
      this.lastSave.set(partition, { claims: claims.filter.count, at: Date.now() });
      return claims.replayFrom.toString();
    });
  }

  /**
   * The filter of every claim in the ledger, read once per process for the partitions that have no checkpoint
   * yet (its first start with checkpoints): the ledger (empty on a new deployment) then holds every claim of
   * such a partition before its committed offset, because routing used to write it before publishing.
   */
  private seedFilter(): Promise<ClaimFilter> {
    this.seed ??= (async () => {
      const capacity = this.config.get('ROUTING_CLAIMS_PER_PARTITION', { infer: true });
      const filter = ClaimFilter.sizedFor(capacity, FALSE_POSITIVE_RATE);
      for await (const decisionId of this.ledger.allDecisionIds()) filter.add(decisionId);
      return filter;
    })();
    return this.seed;
  }

  /** Whether each decision was routed already. Asks the ledger, by exact _id, only where the filter says maybe. */
  async recall(partition: number, decisionIds: readonly string[]): Promise<Routed[]> {
    const claims = this.claimsOf(partition);
    const recalled = decisionIds.map((id) => claims.recall(id));
    const maybe = decisionIds.filter((_, i) => recalled[i].known === 'maybe');
    const inLedger = maybe.length ? await this.ledger.claimsOf(maybe) : new Map();
    return recalled.map((recall, i): Routed => {
      if (recall.known === 'claimed') return { routed: true, by: recall.by };
      const entry = recall.known === 'maybe' ? inLedger.get(decisionIds[i]) : undefined;
      return entry ? { routed: true, by: entry.sourceEventId } : { routed: false };
    });
  }

  committed(partition: number, claims: readonly Claim[], nextOffset: string): void {
    this.claimsOf(partition).committed(claims, nextOffset);
  }

  replayed(partition: number, claims: readonly Claim[]): void {
    const partitionClaims = this.claimsOf(partition);
    for (const claim of claims) partitionClaims.replayed(claim);
  }

  /** Writes every partition's unwritten claims and, where due, its filter. */
  async writeBehind(): Promise<void> {
    await this.writing.runExclusive(async () => {
      for (const [partition, claims] of this.partitions) await this.write(partition, claims);
    });
  }

  private async write(partition: number, claims: PartitionClaims): Promise<void> {
    const key = this.keyOf(partition);
    const { claims: toWrite, through } = claims.toWrite();
    if (toWrite.length) await this.ledger.write(toWrite);
    if (through > claims.ledgerOffset) {
      await this.ledger.saveLedgerOffset(key, through);
      claims.written(toWrite, through);
    }
    const saveEvery = this.config.get('ROUTING_FILTER_SAVE_EVERY', { infer: true });
    const last = this.lastSave.get(partition) ?? { claims: 0, at: 0 };
    const added = claims.filter.count - last.claims;
    if (added >= saveEvery || (added > 0 && Date.now() - last.at >= FILTER_SAVE_MAX_AGE_MS)) {
      await this.saveFilter(key, claims);
      this.lastSave.set(partition, { claims: claims.filter.count, at: Date.now() });
    }
  }

  /** Saves the filter as complete to the ledger's offset: everything before it was claimed and is in it. */
  private async saveFilter(key: string, claims: PartitionClaims): Promise<void> {
    const { filter } = claims;
    await this.ledger.saveFilter(key, {
      offset: claims.ledgerOffset,
      bits: filter.bits,
      hashes: filter.hashes,
      added: filter.count,
    });
    claims.filterOffset = claims.ledgerOffset;
  }

  private claimsOf(partition: number): PartitionClaims {
    const claims = this.partitions.get(partition);
    if (!claims) throw new Error(`routing: partition ${partition} was not started (no claims loaded)`);
    return claims;
  }

  private keyOf(partition: number): string {
    return `${this.groupId}:${Topic.DecisionScored}:${partition}`;
  }

  private warnWriteFailed(error: unknown) {
    this.logger.warn({
      message: 'routing claims not written to the ledger yet; retried at the next write',
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
