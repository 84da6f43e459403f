import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { LABEL_SOURCES, VERDICTS } from '@oversight/learning';

/**
 * The learning loop's records, each written once as the event stream brings it (FerretDB v1 updates scan the
 * collection; inserts do not): one per routed decision, one per reviewer's edit, one per human answer.
 * Metrics and drift windows are folded from them by time range.
 */
@Schema({ collection: 'oversight_decisions', versionKey: false })
export class DecisionObservationRecord {
  /** The decisionId: a decision is routed once. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  businessFunction!: string;

  @Prop({ type: String, required: true })
  actionType!: string;

  @Prop({ type: String, required: true })
  modelId!: string;

  @Prop({ type: String, required: true })
  modelVersion!: string;

  @Prop({ type: Number, required: true })
  confidence!: number;

  /** The amount the proposal moves and its currency. */
  @Prop({ type: Number })
  amountValue?: number;

  @Prop({ type: String })
  currency?: string;

  @Prop({ type: String, required: true })
  route!: string;

  @Prop({ type: String, required: true })
  tier!: string;

  @Prop({ type: Date, required: true })
  routedAt!: Date;

  @Prop({ type: Date })
  dueAt?: Date;

  /** The proposal's parameters as JSON, to tell later what a reviewer edited. */
  @Prop({ type: String, required: true })
  parameters!: string;
}

export const DecisionObservationSchema = SchemaFactory.createForClass(DecisionObservationRecord);
DecisionObservationSchema.index({ businessFunction: 1, routedAt: -1 }, { name: 'function_recent' });
DecisionObservationSchema.index({ routedAt: 1 }, { name: 'routed_at' });

/**
 * A reviewer's edit, as a gap-free list per decision (`<decisionId>#<seq>`, see GapFreeLists): a decision's edits
 * are read by exact `_id` from seq 1, where a query by decisionId would make FerretDB v1 decode every edit ever
 * recorded. A redelivered edit may be listed twice; readers take the union of the fields.
 */
@Schema({ collection: 'oversight_edits', versionKey: false })
export class ReviewEditRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  /** The decisionId. */
  @Prop({ type: String, required: true })
  list!: string;

  @Prop({ type: Number, required: true })
  seq!: number;

  @Prop({ type: Date, required: true })
  at!: Date;

  /** `<decisionId>#<eventId>` of the ReviewActivity that recorded the edit. */
  @Prop({ type: String, required: true })
  key!: string;

  @Prop({ type: [String], required: true })
  fields!: string[];
}

export const ReviewEditSchema = SchemaFactory.createForClass(ReviewEditRecord);

@Schema({ collection: 'oversight_labels', versionKey: false })
export class LabelRecord {
  /** `<decisionId>#<eventId>` of the answer. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  decisionId!: string;

  @Prop({ type: String, required: true })
  businessFunction!: string;

  @Prop({ type: String, required: true })
  actionType!: string;

  @Prop({ type: String, required: true })
  modelId!: string;

  @Prop({ type: String, required: true })
  modelVersion!: string;

  @Prop({ type: Number, required: true })
  confidence!: number;

  @Prop({ type: Number })
  amountValue?: number;

  @Prop({ type: String })
  currency?: string;

  @Prop({ type: String, required: true, enum: VERDICTS })
  verdict!: string;

  @Prop({ type: String, required: true, enum: LABEL_SOURCES })
  source!: string;

  @Prop({ type: Date, required: true })
  answeredAt!: Date;

  @Prop({ type: [String], default: undefined })
  edits?: string[];

  @Prop({ type: Number })
  latencyMinutes?: number;

  @Prop({ type: Boolean })
  withinSla?: boolean;
}

export const LabelSchema = SchemaFactory.createForClass(LabelRecord);
LabelSchema.index({ businessFunction: 1, answeredAt: -1 }, { name: 'function_recent' });
LabelSchema.index({ answeredAt: 1 }, { name: 'answered_at' });

/**
 * An answer that arrived before its decision's routing (topics are read in parallel, so a lagging partition of
 * one can fall behind another's): its label is written with what is known and written again, complete, when
 * the routing arrives. `_id` `<decisionId>#<eventId>` of the answer; deleted once done, so the collection
 * stays small.
 */
@Schema({ collection: 'oversight_label_waits', versionKey: false })
export class LabelWaitRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  decisionId!: string;

  /** The key of the label the answer makes (see labelKey). */
  @Prop({ type: String, required: true })
  labelId!: string;

  /** The answer event, as JSON. */
  @Prop({ type: String, required: true })
  event!: string;
}

export const LabelWaitSchema = SchemaFactory.createForClass(LabelWaitRecord);

/**
 * A drift episode of a function, `_id` `<businessFunction>#<episode>`: the unique key makes one instance the
 * one that raises it. The DriftDetected event is kept as written, so a publish lost to a crash is retried with
 * the same eventId.
 */
@Schema({ collection: 'drift_episodes', versionKey: false })
export class DriftEpisodeRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  businessFunction!: string;

  @Prop({ type: Number, required: true })
  episode!: number;

  @Prop({ type: Date, required: true })
  detectedAt!: Date;

  /** The DriftDetected event, as JSON. */
  @Prop({ type: String, required: true })
  event!: string;

  /** Also the HaltChanged that tightened routing, when the policy said so. */
  @Prop({ type: String })
  halt?: string;

  @Prop({ type: Boolean, required: true })
  published!: boolean;
}

export const DriftEpisodeSchema = SchemaFactory.createForClass(DriftEpisodeRecord);
DriftEpisodeSchema.index({ businessFunction: 1, episode: -1 }, { name: 'function_latest' });

/** A person clearing an episode (from DriftCleared), `_id` the episode's. */
@Schema({ collection: 'drift_clears', versionKey: false })
export class DriftClearRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  businessFunction!: string;

  @Prop({ type: Number, required: true })
  episode!: number;

  @Prop({ type: Date, required: true })
  clearedAt!: Date;

  @Prop({ type: String, required: true })
  clearedBy!: string;

  @Prop({ type: String, required: true })
  reason!: string;
}

export const DriftClearSchema = SchemaFactory.createForClass(DriftClearRecord);

export const episodeId = (businessFunction: string, episode: number) => `${businessFunction}#${episode}`;
