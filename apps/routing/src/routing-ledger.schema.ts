import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The claim of a decision by its first DecisionScored event, written behind the routing transaction (see
 * RoutingClaims): the decisionId as _id makes a second claim fail, so the first one stays. Entries written
 * before routing moved to Kafka transactions also carry the route and the events it published.
 */
@Schema({ collection: 'routing_ledger', versionKey: false })
export class RoutingLedgerEntry {
  /** The decisionId. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** The DecisionScored event that claimed the decision; a different one later is a duplicate. */
  @Prop({ required: true })
  sourceEventId!: string;

  /** Where that event was read in its partition of decision.scored. */
  @Prop()
  sourceOffset?: string;

  @Prop({ required: true })
  claimedAt!: Date;
}

export const RoutingLedgerSchema = SchemaFactory.createForClass(RoutingLedgerEntry);

/**
 * How far a partition's claims are saved, by exact _id: `<group>:<topic>:<partition>:ledger` (the ledger holds
 * every claim before `offset`) and `...:filter` (the saved filter holds every claim before `offset`).
 */
@Schema({ collection: 'routing_checkpoints', versionKey: false })
export class RoutingCheckpoint {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  offset!: string;

  /** The claim filter's bits (filter checkpoints only). */
  @Prop({ type: Buffer })
  bits?: Buffer;

  @Prop()
  hashes?: number;

  @Prop()
  added?: number;

  @Prop({ required: true })
  savedAt!: Date;
}

export const RoutingCheckpointSchema = SchemaFactory.createForClass(RoutingCheckpoint);
