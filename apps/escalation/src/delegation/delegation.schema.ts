import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One delegation (`_id` = delegationId); revoking it sets `revokedAt`, the only change it ever gets. */
@Schema({ collection: 'delegations', versionKey: false })
export class DelegationRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  delegator!: string;

  @Prop({ required: true })
  delegate!: string;

  @Prop({ type: [String], required: true })
  roles!: string[];

  @Prop({ required: true })
  from!: Date;

  @Prop({ required: true })
  until!: Date;

  @Prop({ required: true })
  reason!: string;

  @Prop({ required: true })
  grantedBy!: string;

  @Prop({ required: true })
  grantedAt!: Date;

  @Prop({ type: Date })
  revokedAt?: Date;

  @Prop({ type: String })
  revokedBy?: string;
}

export const DelegationSchema = SchemaFactory.createForClass(DelegationRecord);
DelegationSchema.index({ delegate: 1, until: 1 });
DelegationSchema.index({ delegator: 1, until: 1 });
