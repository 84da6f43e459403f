import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A user's recent failed sign-ins (FailedSignIns). Bounded: one document per known user with a failure in the
 * last lock period, deleted by their next successful sign-in, so updating in place is cheap even on FerretDB.
 */
@Schema({ collection: 'sign_in_failures', versionKey: false })
export class FailedSignInsRecord {
  /** The user's id. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Number, required: true })
  failures!: number;

  @Prop({ type: Date, required: true })
  lastFailureAt!: Date;

  @Prop({ type: Date })
  lockedUntil?: Date;
}

export const FailedSignInsSchema = SchemaFactory.createForClass(FailedSignInsRecord);
