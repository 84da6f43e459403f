import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { decodeEvent, encodeEvent, EventTopic } from '@oversight/contracts';
import { OutgoingEvent } from '@oversight/messaging';
import { insertNew } from '@oversight/persistence';
import { RESOLVE_STATUSES, ResolveTask } from './resolve-task';

/** An event written with the task and not yet published, as JSON so it is published exactly as written. */
interface PendingEvent {
  topic: string;
  event: string;
}

/**
 * One resolve task per decision (`_id`), written whole with a version check, while it is open (or retrying):
 * a settled task (resolved or abandoned) moves to ResolveTaskClosed once its events are published, so this
 * collection, its scans (the open list, the pending sweep) and its updates cost what the open work costs.
 */
// minimize: false keeps empty objects (a task's `authority: {}`), which mongoose would drop on save.
@Schema({ collection: 'resolve_tasks', versionKey: false, minimize: false })
export class ResolveTaskRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  version!: number;

  @Prop({ required: true, enum: RESOLVE_STATUSES })
  status!: string;

  @Prop({ required: true })
  businessFunction!: string;

  @Prop({ required: true })
  openedAt!: Date;

  /** The task itself, as JSON: its proposal may hold any parameters, which FerretDB stores less faithfully. */
  @Prop({ required: true })
  task!: string;

  @Prop({ type: [Object], default: [] })
  pending!: PendingEvent[];

  @Prop({ required: true })
  hasPending!: boolean;
}

export const ResolveTaskSchema = SchemaFactory.createForClass(ResolveTaskRecord);
// For MongoDB: the Failed actions screen (open tasks, oldest first) and the sweep. FerretDB scans this bounded
// collection either way.
ResolveTaskSchema.index({ status: 1, openedAt: 1 });
ResolveTaskSchema.index({ hasPending: 1 });

/** A settled resolve task (`_id` = decisionId), insert-only and read by exact `_id` only. */
// minimize: false keeps empty objects (a task's `authority: {}`), which mongoose would drop on save.
@Schema({ collection: 'resolve_tasks_closed', versionKey: false, minimize: false })
export class ResolveTaskClosed {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  version!: number;

  @Prop({ required: true })
  task!: string;

  @Prop({ required: true })
  closedAt!: Date;
}

export const ResolveTaskClosedSchema = SchemaFactory.createForClass(ResolveTaskClosed);

/** Statuses a task never leaves: it is closed once their events are out. */
const SETTLED: readonly string[] = ['resolved', 'abandoned'];

export interface StoredResolveTask {
  task: ResolveTask;
  pending: OutgoingEvent[];
}

@Injectable()
export class ResolveTaskRepository {
  constructor(
    @InjectModel(ResolveTaskRecord.name) private readonly records: Model<ResolveTaskRecord>,
    @InjectModel(ResolveTaskClosed.name) private readonly closed: Model<ResolveTaskClosed>,
  ) {}

  /** The task: open, or else closed (which has nothing pending). */
  async find(decisionId: string): Promise<StoredResolveTask | undefined> {
    const record = await this.records.findById(decisionId).lean<ResolveTaskRecord>().exec();
    if (record) return fromRecord(record);
    const closed = await this.closed.findById(decisionId).lean<ResolveTaskClosed>().exec();
    return closed ? { task: taskFromJson(closed.task), pending: [] } : undefined;
  }

  /** Open tasks, the oldest first. */
  async open(businessFunction: string | undefined, limit: number): Promise<ResolveTask[]> {
    const records = await this.records
      .find({ status: 'open', ...(businessFunction ? { businessFunction } : {}) })
      .sort({ openedAt: 1 })
      .limit(limit)
      .lean<ResolveTaskRecord[]>()
      .exec();
    return records.map((record) => fromRecord(record).task);
  }

  /** Tasks with events written and not yet published, or settled and not yet closed (a crash in between). */
  async unsettled(limit: number): Promise<string[]> {
    const records = await this.records
      .find({ $or: [{ hasPending: true }, { status: { $in: SETTLED } }] }, { _id: 1 })
      .limit(limit)
      .lean()
      .exec();
    return records.map((record) => String(record._id));
  }

  /**
   * Writes the task's new version with its pending events, if the stored one is still `task.version - 1`
   * (nothing for a new task). False when another writer came first: read again and decide again.
   */
  async write(task: ResolveTask, pending: OutgoingEvent[]): Promise<boolean> {
    const record = toRecord(task, pending);
    if (task.version === 1) return (await insertNew(this.records, [record])).inserted === 1;
    const { _id, ...fields } = record;
    const result = await this.records.updateOne({ _id, version: task.version - 1 }, { $set: fields }).exec();
    return result.matchedCount === 1;
  }

  /** Forgets pending events once published, unless the task moved on meanwhile (its writer republishes). */
  async published(decisionId: string, version: number): Promise<void> {
    await this.records
      .updateOne({ _id: decisionId, version }, { $set: { pending: [], hasPending: false } })
      .exec();
  }

  /**
   * Moves a settled task to the closed ones once nothing is pending: the closed record first, so a reader
   * always finds one of the two. Does nothing for a task still open or with events to publish.
   */
  async close(decisionId: string): Promise<void> {
    const record = await this.records.findById(decisionId).lean<ResolveTaskRecord>().exec();
    if (!record || record.hasPending || !SETTLED.includes(record.status)) return;
    await insertNew(this.closed, [
      { _id: decisionId, version: record.version, task: record.task, closedAt: new Date() },
    ]);
    await this.records.deleteOne({ _id: decisionId, version: record.version }).exec();
  }
}

function toRecord(task: ResolveTask, pending: OutgoingEvent[]): ResolveTaskRecord {
  return {
    _id: task.decisionId,
    version: task.version,
    status: task.status,
    businessFunction: task.proposal.businessFunction,
    openedAt: task.openedAt,
    task: JSON.stringify(task),
    pending: pending.map(({ topic, event }) => ({ topic, event: encodeEvent(event).toString('utf8') })),
    hasPending: pending.length > 0,
  };
}

function taskFromJson(json: string): ResolveTask {
  const raw = JSON.parse(json) as ResolveTask;
  return {
    ...raw,
    openedAt: new Date(raw.openedAt),
    updatedAt: new Date(raw.updatedAt),
    history: raw.history.map((step) => ({ ...step, at: new Date(step.at) })),
  };
}

function fromRecord(record: ResolveTaskRecord): StoredResolveTask {
  const task = taskFromJson(record.task);
  const pending = record.pending.map(({ topic, event }) => {
    const decoded = decodeEvent(topic as EventTopic, event);
    if (!decoded.ok)
      throw new Error(
        `resolve task ${record._id} holds a pending event that no longer decodes: ${decoded.errors.join('; ')}`,
      );
    return { topic, event: decoded.value } as OutgoingEvent;
  });
  return { task, pending };
}
