import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export type AuditEventSource = { topic: string; partition: number; offset: string };

/**
 * One platform event as the audit trail keeps it: the event verbatim, plus where and when it was read.
 * The eventId is the document's _id: a redelivered event fails the insert with 11000 instead of being stored
 * twice, and it is the one lookup FerretDB v1 serves without a collection scan.
 */
@Schema({ collection: 'audit_events', versionKey: false })
export class AuditEventRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  /** Absent on control events (policies, halts). */
  @Prop()
  decisionId?: string;

  @Prop({ required: true })
  type!: string;

  @Prop({ required: true })
  schemaVersion!: number;

  @Prop({ required: true })
  producer!: string;

  @Prop({ required: true })
  occurredAt!: Date;

  /** When the audit service stored it; the gap to occurredAt is the audit lag. */
  @Prop({ required: true })
  recordedAt!: Date;

  @Prop({ type: Object, required: true })
  source!: AuditEventSource;

  /** The event exactly as validated, so the trail can be re-verified against what was published. */
  @Prop({ type: Object, required: true })
  event!: Record<string, unknown>;
}

export const AuditEventSchema = SchemaFactory.createForClass(AuditEventRecord);

// Serves: the timeline of one decision, oldest first.
AuditEventSchema.index({ decisionId: 1, occurredAt: 1 }, { name: 'decision_timeline' });
