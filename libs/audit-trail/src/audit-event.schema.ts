import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ChainLink } from './audit-chain';

export type AuditEventSource = { topic: string; partition: number; offset: string };

/** A record's key: its chain and its place in it, so the store's unique _id stops two writers taking one seq. */
export const auditRecordId = (chainKey: string, seq: number) => `${chainKey}#${seq}`;

/**
 * One platform event as the audit trail keeps it: the event verbatim, where and when it was read, and its link
 * in its chain. Insert-only: FerretDB v1 scans the whole collection for every update, so nothing here is ever
 * updated; the current state of a decision is folded from its records when asked for.
 *
 * The _id is `<chainKey>#<seq>` (see auditRecordId): a chain is walked, and its head found, by exact _id
 * lookups, the one query FerretDB v1 serves without a collection scan. A unique index on eventId stores a
 * redelivered event once.
 */
// minimize: false keeps empty objects (an agent's `parameters: {}`): mongoose drops them by default, which would
// store an event that no longer matches its hash.
@Schema({ collection: 'audit_events', versionKey: false, minimize: false })
export class AuditEventRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  eventId!: string;

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

// Serves: recognising a redelivered event (the insert fails with 11000) and finding a record by event.
AuditEventSchema.index({ eventId: 1 }, { name: 'event_once', unique: true });
// Serves: the timeline of one decision in chain order (timeline, export, decision queries).
AuditEventSchema.index({ decisionId: 1, 'chain.seq': 1 }, { name: 'decision_timeline' });
// Serves: decision queries by type and time (the proposals of a time range open every decision query).
AuditEventSchema.index({ type: 1, occurredAt: -1 }, { name: 'type_time' });
// Serves: verification, which walks every chain in order.
AuditEventSchema.index({ chainKey: 1, 'chain.seq': 1 }, { name: 'chain_order' });
