import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A timer set on a review task, listed under the bucket it falls due in (`_id` = `<list>#<seq>`, see
 * review-timetable.ts and GapFreeLists). Insert-only and read by exact `_id` only, so it may grow with history.
 */
@Schema({ collection: 'review_timers', versionKey: false })
export class ReviewTimerEntry {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  list!: string;

  @Prop({ required: true })
  seq!: number;

  /** When the timer falls due (its bucket may be later: see listingBucket). */
  @Prop({ required: true })
  at!: Date;

  @Prop({ required: true })
  decisionId!: string;
}

export const ReviewTimerSchema = SchemaFactory.createForClass(ReviewTimerEntry);
