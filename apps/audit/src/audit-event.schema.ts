import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ChainLink } from './audit-chain';

export type AuditEventSource = { topic: string; partition: number; offset: string };

/**
 * One platform event as the audit trail keeps it: the event verbatim, where and when it was read, and its link
 * in its chain. The eventId is the document's _id: a redelivered event fails the insert with 11000 instead of
 * being stored twice, and it is the one lookup FerretDB v1 serves without a collection scan.
 */
@Schema({ collection: 'audit_events', versionKey: false })
export class AuditEventRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  /** The chain the event belongs to: its decisionId, or for a control event what it controls (policy/…, halt/…). */
  @Prop({ type: String, required: true })
  chainKey!: string;

  /** Absent on control events. */
  @Prop({ type: String })
  decisionId?: string;

  @Prop({ type: String, required: true })
  type!: string;

  @Prop({ type: Number, required: true })
  schemaVersion!: number;

  @Prop({ type: String, required: true })
  producer!: string;

  @Prop({ type: Date, required: true })
  occurredAt!: Date;

  /** When the audit service stored it; the gap to occurredAt is the audit lag. */
  @Prop({ type: Date, required: true })
  recordedAt!: Date;

  @Prop({ type: Object, required: true })
  source!: AuditEventSource;

  @Prop({ type: Object, required: true })
  chain!: ChainLink;

  /** The event exactly as validated; its canonical JSON is what the chain hashes. */
  @Prop({ type: Object, required: true })
  event!: Record<string, unknown>;
}

export const AuditEventSchema = SchemaFactory.createForClass(AuditEventRecord);

// Serves: the timeline of one decision in chain order (timeline, export of one decision).
AuditEventSchema.index({ decisionId: 1, 'chain.seq': 1 }, { name: 'decision_timeline' });
// Serves: verification, which walks every chain in order.
AuditEventSchema.index({ chainKey: 1, 'chain.seq': 1 }, { name: 'chain_order', unique: true });
