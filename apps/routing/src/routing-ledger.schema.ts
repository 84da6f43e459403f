import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The one routing outcome of a decision, written before anything is published: the decisionId as _id makes
 * a second claim fail, which is how a redelivered or duplicated decision is recognised across restarts.
 */
@Schema({ collection: 'routing_ledger', versionKey: false })
export class RoutingLedgerEntry {
  /** The decisionId. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** The DecisionScored event that claimed the decision; a different one later is a duplicate. */
  @Prop({ required: true })
  sourceEventId!: string;

  @Prop({ required: true })
  route!: string;

  /** The events this outcome publishes, exactly as first built, so a retry republishes the same ones. */
  @Prop({ type: [Object], required: true })
  outputs!: { topic: string; event: Record<string, unknown> }[];

  @Prop({ required: true })
  claimedAt!: Date;
}

export const RoutingLedgerSchema = SchemaFactory.createForClass(RoutingLedgerEntry);
