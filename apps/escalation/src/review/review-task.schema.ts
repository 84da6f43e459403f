import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { OutgoingEvent } from '@oversight/messaging';
import { ReviewTask } from './review-task';

/**
 * The head of an open review task (`_id` = decisionId): its latest version as far as the last writer got
 * (`version`; the task itself is in that ReviewTaskVersion), with the fields the queue and the timers query on. Only undecided tasks (and decided ones
 * whose events are not published yet) live here: once a decided task's events are out, the head moves to
 * ReviewTaskClosed. So this collection is bounded by open work, not by history, which keeps the queue, the
 * sweeps and every head update (FerretDB v1 decodes the collection for each) as cheap on day 300 as on day 1. Versions are claimed in
 * ReviewTaskVersion first; the head follows. `outbox` holds the events of the last accepted acts until they are
 * published: written in the same single-document update as the change they describe, which is atomic without
 * transactions (FerretDB v1 has none), so a crash between the write and the publish loses no event.
 */
// minimize: false keeps empty objects (a task's `authority: {}`), which mongoose would drop on save.
@Schema({ collection: 'review_tasks', versionKey: false, minimize: false })
export class ReviewTaskRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  /** The version in `task`; a newer ReviewTaskVersion may exist if its writer stopped before updating this. */
  @Prop({ required: true })
  version!: number;

  @Prop({ required: true })
  status!: string;

  @Prop({ required: true })
  kind!: string;

  @Prop({ required: true })
  businessFunction!: string;

  @Prop({ type: [String], required: true })
  eligibleRoles!: string[];

  @Prop({ required: true })
  dueAt!: Date;

  /** When the review was requested (for the queue's age gauges); absent in heads written before it was kept. */
  @Prop({ type: Date })
  requestedAt?: Date;

  /** Absent once decided, so the timer query skips it. */
  @Prop({ type: Date })
  nextTimerAt?: Date;

  /**
   * Only in heads written before heads were slimmed: the task now lives in its version record
   * (`<decisionId>#<version>`), read by exact `_id`, so a scan of the heads stays small.
   */
  @Prop({ type: MongooseSchema.Types.Mixed })
  task?: ReviewTask;

  @Prop({ type: [Object], required: true })
  outbox!: OutgoingEvent[];

  @Prop({ required: true })
  outboxPending!: boolean;

  @Prop({ required: true })
  updatedAt!: Date;
}

export const ReviewTaskSchema = SchemaFactory.createForClass(ReviewTaskRecord);
// For MongoDB: the queue (open tasks by SLA) and the timer sweep. FerretDB v1 scans either way.
ReviewTaskSchema.index({ status: 1, dueAt: 1 });
ReviewTaskSchema.index({ nextTimerAt: 1 });
ReviewTaskSchema.index({ outboxPending: 1, updatedAt: 1 });

/**
 * Each accepted change of a task, keyed `<decisionId>#<version>`. Inserting it is the compare-and-set: the
 * store's unique `_id` lets exactly one writer create a version, atomically even on FerretDB v1, whose updates
 * match and write in separate steps (two conditional updates can both succeed there). The record keeps the
 * task as of that version and the events it published, so a writer that stopped before updating the head is
 * caught up by the next reader.
 */
// minimize: false keeps empty objects (a task's `authority: {}`), which mongoose would drop on save.
@Schema({ collection: 'review_task_versions', versionKey: false, minimize: false })
export class ReviewTaskVersion {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  task!: ReviewTask;

  @Prop({ type: [Object], required: true })
  events!: OutgoingEvent[];

  @Prop({ required: true })
  writtenAt!: Date;
}

export const ReviewTaskVersionSchema = SchemaFactory.createForClass(ReviewTaskVersion);

/**
 * A decided review task whose events are all published (`_id` = decisionId), insert-only: the task view of a
 * closed task reads it by exact `_id`, and nothing else ever queries this collection, which grows with history.
 */
// minimize: false keeps empty objects (a task's `authority: {}`), which mongoose would drop on save.
@Schema({ collection: 'review_tasks_closed', versionKey: false, minimize: false })
export class ReviewTaskClosed {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  version!: number;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  task!: ReviewTask;

  @Prop({ required: true })
  closedAt!: Date;
}

export const ReviewTaskClosedSchema = SchemaFactory.createForClass(ReviewTaskClosed);
