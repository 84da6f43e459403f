import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { OutgoingEvent } from '@oversight/messaging';
import { findByIds, insertNew, mapByIds } from '@oversight/persistence';
import { OpenTaskHead } from './review-metrics';
import { ReviewTask, TERMINAL_STATUSES } from './review-task';
import { ReviewTaskClosed, ReviewTaskRecord, ReviewTaskVersion } from './review-task.schema';
import { ReviewTimetable } from './review-timetable.repository';

export interface StoredTask {
  task: ReviewTask;
  outbox: OutgoingEvent[];
}

export interface QueueQuery {
  /** Tasks any of these roles may act on; every undecided task when absent. */
  roles?: string[];
  businessFunction?: string;
  limit: number;
}

/** A head the sweep found: events to publish again, or a decided task to close. */
export interface UnsettledTask {
  decisionId: string;
  version: number;
  outbox: OutgoingEvent[];
  decided: boolean;
}

/**
 * Review tasks in the store. A change first claims the task's next version with an insert keyed
 * `<decisionId>#<version>` (exactly one writer can), then updates the head the queries read. Heads are kept
 * for open tasks only: a decided task's head moves to the closed tasks once its events are published (see
 * ReviewTaskRecord), so everything that queries or updates heads costs what the open work costs. A head holds
 * only what the queries filter and sort on; the task itself is read from its version record by exact `_id`,
 * so a scan of the heads (the queue) decodes a few hundred bytes per open task rather than the whole task.
 */
@Injectable()
export class ReviewTaskRepository {
  constructor(
    @InjectModel(ReviewTaskRecord.name) private readonly records: Model<ReviewTaskRecord>,
    @InjectModel(ReviewTaskVersion.name) private readonly versions: Model<ReviewTaskVersion>,
    @InjectModel(ReviewTaskClosed.name) private readonly closed: Model<ReviewTaskClosed>,
    private readonly timetable: ReviewTimetable,
  ) {}

  /**
   * Stores new tasks with their first events; returns the decisionIds that already had a task, open or closed.
   * (A review request redelivered after its task was decided and closed must not open it again.)
   */
  async createAll(created: StoredTask[]): Promise<Set<string>> {
    const now = new Date();
    const alreadyClosed = await this.closedOf(created.map(({ task }) => task.decisionId));
    const fresh = created.filter(({ task }) => !alreadyClosed.has(task.decisionId));
    const docs = fresh.map(({ task, outbox }) => this.toRecord(task, outbox, now));
    // The first version's record holds the task (a redelivered request finds it there already).
    await insertNew(
      this.versions,
      fresh.map(({ task, outbox }) => ({
        _id: versionId(task.decisionId, task.version),
        task: toStored(task),
        events: outbox,
        writtenAt: now,
      })),
    );
    await this.timetable.schedule(
      docs.flatMap((doc) => (doc.nextTimerAt ? [{ decisionId: doc._id, at: doc.nextTimerAt }] : [])),
      now,
    );
    const { duplicates } = await insertNew(this.records, docs);
    return new Set([...alreadyClosed.keys(), ...duplicates.map((i) => docs[i]._id)]);
  }

  /**
   * The task's latest version: the open head (or, for a closed task, its closed record), then any versions
   * written after it by a writer that stopped before updating the head (one lookup by `_id` each; the head is
   * brought up to date on the way).
   */
  async find(decisionId: string): Promise<StoredTask | undefined> {
    const head = await this.records.findById(decisionId).lean<ReviewTaskRecord>().exec();
    const record = head ?? (await this.closed.findById(decisionId).lean<ReviewTaskClosed>().exec());
    if (!record) return undefined;
    const body = head ? (await this.bodiesOf([head]))[0] : record.task;
    if (!body) return undefined;
    let task = fromStored(body);
    const outbox = head ? [...head.outbox] : [];
    for (;;) {
      const next = await this.versions
        .findById(versionId(decisionId, task.version + 1))
        .lean<ReviewTaskVersion>()
        .exec();
      if (!next) break;
      task = fromStored(next.task);
      outbox.push(...next.events);
    }
    if (head && task.version !== record.version) await this.updateHead(task, outbox);
    return { task, outbox };
  }

  /**
   * Writes the task's next version unless another writer already has (false then: read again and retry).
   * `outbox` is every event not yet published, `events` those of this version. A timer that changed from
   * `timerBefore` is listed in the timetable first.
   */
  async write(
    task: ReviewTask,
    outbox: OutgoingEvent[],
    events: OutgoingEvent[],
    timerBefore?: Date,
  ): Promise<boolean> {
    const timer = task.nextTimerAt;
    if (timer && new Date(timer).getTime() !== (timerBefore && new Date(timerBefore).getTime())) {
      await this.timetable.schedule([{ decisionId: task.decisionId, at: new Date(timer) }]);
    }
    const claim = {
      _id: versionId(task.decisionId, task.version),
      task: toStored(task),
      events,
      writtenAt: new Date(),
    };
    const { duplicates } = await insertNew(this.versions, [claim]);
    if (duplicates.length > 0) return false;
    await this.updateHead(task, outbox);
    return true;
  }

  private async updateHead(task: ReviewTask, outbox: OutgoingEvent[]): Promise<void> {
    const { _id, ...fields } = this.toRecord(task, outbox, new Date());
    // `task` is dropped from a head written before heads were slimmed (see bodiesOf).
    const update = { $set: fields, $unset: { task: 1, ...(task.nextTimerAt ? {} : { nextTimerAt: 1 }) } };
    // Never back to an older version: two heads written out of order leave the newer one.
    await this.records.updateOne({ _id, version: { $lt: task.version } }, update).exec();
  }

  /**
   * Empties the outbox once its events are published, unless a later write has added to it. On FerretDB v1 the
   * version check and the write are separate steps, so a later writer's events may be cleared here; that writer
   * publishes them itself right after its write, and its version record keeps them.
   */
  async clearOutbox(decisionId: string, version: number): Promise<void> {
    await this.records
      .updateOne({ _id: decisionId, version }, { $set: { outbox: [], outboxPending: false } })
      .exec();
  }

  /** Tasks with a timer due at `now`, earliest first: a scan of the open tasks, for the clock's rare scan. */
  async dueTimers(now: Date, limit: number): Promise<string[]> {
    const due = await this.records
      .find({ nextTimerAt: { $lte: now } }, { _id: 1 })
      .sort({ nextTimerAt: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    return due.map((record) => record._id);
  }

  /**
   * Moves a decided task's head to the closed tasks, once its events are published: the closed record first, so
   * a reader always finds one of the two. Does nothing while the head holds a later version or unpublished
   * events (their writer, or the sweep, closes it after publishing).
   */
  async close(decisionId: string, version: number): Promise<void> {
    const head = await this.records.findById(decisionId).lean<ReviewTaskRecord>().exec();
    if (!head || head.version !== version || head.outboxPending) return;
    if (!(TERMINAL_STATUSES as readonly string[]).includes(head.status)) return;
    const [task] = await this.bodiesOf([head]);
    if (!task) return;
    await insertNew(this.closed, [{ _id: decisionId, version, task, closedAt: new Date() }]);
    await this.records.deleteOne({ _id: decisionId, version }).exec();
  }

  /**
   * Heads left unsettled for `graceMs` by a writer that stopped: events not published, or a decided task not
   * closed yet.
   */
  async unsettled(before: Date, limit: number): Promise<UnsettledTask[]> {
    const records = await this.records
      .find(
        {
          $or: [{ outboxPending: true }, { status: { $in: TERMINAL_STATUSES } }],
          updatedAt: { $lte: before },
        },
        { _id: 1, version: 1, outbox: 1, status: 1 },
      )
      .limit(limit)
      .lean<Pick<ReviewTaskRecord, '_id' | 'version' | 'outbox' | 'status'>[]>()
      .exec();
    return records.map((r) => ({
      decisionId: r._id,
      version: r.version,
      outbox: r.outbox,
      decided: (TERMINAL_STATUSES as readonly string[]).includes(r.status),
    }));
  }

  private async closedOf(decisionIds: string[]): Promise<Map<string, ReviewTaskClosed>> {
    return mapByIds(decisionIds, (id) =>
      this.closed.findById(id, { _id: 1 }).lean<ReviewTaskClosed>().exec(),
    );
  }

  /** Undecided tasks any of `roles` may act on, the most urgent first. */
  async queue(query: QueueQuery): Promise<ReviewTask[]> {
    const filter: Record<string, unknown> = { status: { $nin: TERMINAL_STATUSES } };
    if (query.roles) filter.eligibleRoles = { $in: query.roles };
    if (query.businessFunction) filter.businessFunction = query.businessFunction;
    const heads = await this.records
      .find(filter, { version: 1, task: 1 })
      .sort({ dueAt: 1 })
      .limit(query.limit)
      .lean<Pick<ReviewTaskRecord, '_id' | 'version' | 'task'>[]>()
      .exec();
    const bodies = await this.bodiesOf(heads);
    return bodies.flatMap((body) => (body ? [fromStored(body)] : []));
  }

  /**
   * Every head's function, status and times, for the queue gauges: a read of the open tasks only (the heads are
   * bounded by open work), a few dozen bytes each, every GAUGE_REFRESH_MS.
   */
  async openHeads(): Promise<OpenTaskHead[]> {
    return this.records
      .find({}, { _id: 0, businessFunction: 1, status: 1, dueAt: 1, requestedAt: 1 })
      .lean<OpenTaskHead[]>()
      .exec();
  }

  /**
   * Each head's task as of its version, in order: its version record (one exact `_id` lookup each, a few at a
   * time), or for a head written before heads were slimmed, the task it still holds.
   */
  private async bodiesOf(
    heads: Pick<ReviewTaskRecord, '_id' | 'version' | 'task'>[],
  ): Promise<(ReviewTask | undefined)[]> {
    const versions = await findByIds(
      heads.map((head) => versionId(head._id, head.version)),
      (id) => this.versions.findById(id, { task: 1 }).lean<Pick<ReviewTaskVersion, 'task'>>().exec(),
    );
    return heads.map((head, i) => versions[i]?.task ?? head.task);
  }

  private toRecord(task: ReviewTask, outbox: OutgoingEvent[], now: Date): ReviewTaskRecord {
    return {
      _id: task.decisionId,
      version: task.version,
      status: task.status,
      kind: task.kind,
      businessFunction: task.proposal.businessFunction,
      eligibleRoles: task.eligibleRoles,
      dueAt: task.dueAt,
      requestedAt: task.requestedAt,
      ...(task.nextTimerAt ? { nextTimerAt: task.nextTimerAt } : {}),
      outbox,
      outboxPending: outbox.length > 0,
      updatedAt: now,
    };
  }
}

function versionId(decisionId: string, version: number): string {
  return `${decisionId}#${version}`;
}

/** Drops undefined fields, which BSON would otherwise store as null. */
function toStored(task: ReviewTask): ReviewTask {
  return Object.fromEntries(Object.entries(task).filter(([, value]) => value !== undefined)) as ReviewTask;
}

function fromStored(task: ReviewTask): ReviewTask {
  // A task stored before its schema kept empty objects lost `authority: {}` (no limits for any role).
  const copy = { ...task, authority: task.authority ?? {} };
  for (const key of Object.keys(copy) as (keyof ReviewTask)[]) if (copy[key] === null) delete copy[key];
  return copy;
}
