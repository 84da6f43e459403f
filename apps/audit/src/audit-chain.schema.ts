import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The head of one chain and, for a decision, its projection: the current state at a glance, kept up to date
 * as events arrive, so queries over decisions never replay events. Written only by the audit instance that
 * owns the decision's partitions (CoPartitionedAssigner), which makes read-modify-write safe without
 * transactions.
 */
@Schema({ collection: 'audit_chains', versionKey: false })
export class AuditChain {
  /** The chain key: a decisionId, or policy/<id>, halt/<scope>. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true, enum: ['decision', 'control'] })
  kind!: 'decision' | 'control';

  @Prop({ type: Number, required: true })
  seq!: number;

  @Prop({ type: String, required: true })
  hash!: string;

  /** The last events chained, to recognise a redelivery after the head was already moved on. */
  @Prop({ type: [String], required: true })
  recentEventIds!: string[];

  @Prop({ type: Date, required: true })
  updatedAt!: Date;

  // The decision projection; absent on control chains.
  @Prop({ type: String }) state?: string;
  @Prop({ type: String }) businessFunction?: string;
  @Prop({ type: String }) actionType?: string;
  @Prop({ type: String }) agentId?: string;
  @Prop({ type: String }) modelVersion?: string;
  @Prop({ type: String }) requesterId?: string;
  @Prop({ type: Number }) amount?: number;
  @Prop({ type: String }) currency?: string;
  @Prop({ type: Number }) confidence?: number;
  @Prop({ type: Number }) score?: number;
  @Prop({ type: String }) tier?: string;
  @Prop({ type: String }) route?: string;
  @Prop({ type: String }) policyId?: string;
  @Prop({ type: Number }) policyVersion?: number;
  @Prop({ type: Boolean }) sampledForAudit?: boolean;
  @Prop({ type: [String] }) eligibleRoles?: string[];
  @Prop({ type: Date }) reviewDueAt?: Date;
  @Prop({ type: Date }) proposedAt?: Date;
  @Prop({ type: Date }) scoredAt?: Date;
  @Prop({ type: Date }) routedAt?: Date;
}

export const AuditChainSchema = SchemaFactory.createForClass(AuditChain);

// Serves: decisions by business function over a time range, newest first.
AuditChainSchema.index({ kind: 1, businessFunction: 1, proposedAt: -1 }, { name: 'by_function_time' });
// Serves: decisions by route and tier over a time range (e.g. every critical block this week).
AuditChainSchema.index({ kind: 1, route: 1, tier: 1, proposedAt: -1 }, { name: 'by_route_tier_time' });
// Serves: every decision in a time range (exports).
AuditChainSchema.index({ kind: 1, proposedAt: -1 }, { name: 'by_time' });
