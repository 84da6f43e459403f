import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DriftEpisodes } from './drift-episodes';
import { OversightRecords } from './oversight-records';
import {
  DecisionObservationRecord,
  DecisionObservationSchema,
  DriftClearRecord,
  DriftClearSchema,
  DriftEpisodeRecord,
  DriftEpisodeSchema,
  LabelRecord,
  LabelSchema,
  LabelWaitRecord,
  LabelWaitSchema,
  ReviewEditRecord,
  ReviewEditSchema,
} from './oversight-records.schema';

/**
 * The learning loop's store for any app with a mongoose connection to the platform's: the learning service
 * writes it, the gateway reads it for metrics, suggestions and drift.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: DecisionObservationRecord.name, schema: DecisionObservationSchema },
      { name: ReviewEditRecord.name, schema: ReviewEditSchema },
      { name: LabelRecord.name, schema: LabelSchema },
      { name: LabelWaitRecord.name, schema: LabelWaitSchema },
      { name: DriftEpisodeRecord.name, schema: DriftEpisodeSchema },
      { name: DriftClearRecord.name, schema: DriftClearSchema },
    ]),
  ],
  providers: [OversightRecords, DriftEpisodes],
  exports: [OversightRecords, DriftEpisodes],
})
export class LearningStoreModule {}
