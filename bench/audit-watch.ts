import { Admin } from 'kafkajs';
import { Collection } from 'mongodb';
import { findByIds } from '@oversight/persistence';
import { BenchFailure, RunGuard } from './run-guard';
import { monoNow, sleep } from './stats';

/** The fields of an audit record the bench reads; the audit app owns the full schema. */
export interface AuditRecordView {
  _id: string;
  eventId: string;
  decisionId?: string;
  type: string;
  recordedAt: Date;
}

export interface AuditVerification {
  expected: number;
  stored: number;
  /** Events seen on the topics that the audit trail does not hold, as `type decisionId eventId`. */
  missing: string[];
}

/**
 * Watches the audit trail (collection audit_events of the run's own database) catch up with the run.
 *
 * FerretDB v1 answers only an exact `_id` match without scanning the collection, and a scan of a full run's
 * records takes seconds, long enough to slow the very audit service being measured, and makes FerretDB hold the
 * whole collection in memory. So completion is detected
 * with point lookups of the record that completes the run's last decision on each partition (the audit service stores a partition in offset
 * order), and the lag is taken from the audit's own `recordedAt` of those records, not from when the bench
 * happened to look. At the end every decision's chain is walked by _id to check that every event was stored.
 */
export class AuditWatch {
  private readonly recordedAt = new Map<string, number>();

  constructor(
    private readonly records: Collection<AuditRecordView>,
    private readonly admin: Admin,
    private readonly auditGroupId: string,
    private readonly auditTopics: readonly string[],
  ) {}

  /**
   * Resolves with the latest recordedAt (wall clock, ms) among the given records once all are stored. Fails when
   * the audit consumer group commits nothing new for `stallTimeoutMs` while events are still missing.
   */
  async waitUntilStored(recordIds: string[], stallTimeoutMs: number, guard: RunGuard): Promise<number> {
    let pending = recordIds.filter((id) => !this.recordedAt.has(id));
    let committed = await this.committedTotal();
    let lastProgress = monoNow();
    let lastOffsetCheck = monoNow();
    while (pending.length) {
      guard.check();
      for (const id of pending) {
        const record = await this.records.findOne({ _id: id }, { projection: { recordedAt: 1 } });
        if (record) this.recordedAt.set(id, record.recordedAt.getTime());
      }
      const before = pending.length;
      pending = pending.filter((id) => !this.recordedAt.has(id));
      if (pending.length < before) lastProgress = monoNow();
      if (pending.length === 0) break;
      if (monoNow() - lastOffsetCheck > 1_000) {
        lastOffsetCheck = monoNow();
        const now = await this.committedTotal();
        if (now !== committed) lastProgress = monoNow();
        committed = now;
      }
      if (monoNow() - lastProgress > stallTimeoutMs) {
        throw new BenchFailure(
          `the audit trail made no progress for ${stallTimeoutMs / 1000} s with ${pending.length} of the run's ` +
            `partition tails still unstored`,
          pending.map((id) => `not in audit_events: ${id}`),
        );
      }
      await sleep(100);
    }
    return Math.max(...recordIds.map((id) => this.recordedAt.get(id) as number));
  }

  /**
   * Checks that every event of the run is in the audit trail by walking every decision's chain by exact _id
   * (`<decisionId>#<seq>`), one seq of all chains at a time (findByIds). A filter on decisionId would make
   * FerretDB v1 decode the whole collection at once: that scan of 170k records took the store server to 5 GB.
   */
  async verify(expectedByDecision: Map<string, Map<string, string>>): Promise<AuditVerification> {
    const storedIds = new Set<string>();
    // Record `seq` of every chain not yet ended, until each chain's next record is missing.
    let open = [...expectedByDecision.keys()];
    for (let seq = 1; open.length; seq += 1) {
      const found = await findByIds(
        open.map((decisionId) => `${decisionId}#${seq}`),
        (id) => this.records.findOne({ _id: id }, { projection: { eventId: 1 } }),
      );
      found.forEach((record) => record && storedIds.add(record.eventId));
      open = open.filter((_, i) => found[i] !== undefined);
    }
    const missing: string[] = [];
    let expected = 0;
    let stored = 0;
    for (const events of expectedByDecision.values()) {
      for (const [eventId, what] of events) {
        expected += 1;
        if (storedIds.has(eventId)) stored += 1;
        else missing.push(what);
      }
    }
    return { expected, stored, missing };
  }

  /** Sum of the audit group's committed offsets: it grows while the audit service works. */
  private async committedTotal(): Promise<bigint> {
    const topics = await this.admin.fetchOffsets({
      groupId: this.auditGroupId,
      topics: [...this.auditTopics],
    });
    let total = 0n;
    for (const { partitions } of topics) {
      for (const { offset } of partitions) if (offset !== '-1') total += BigInt(offset);
    }
    return total;
  }
}
