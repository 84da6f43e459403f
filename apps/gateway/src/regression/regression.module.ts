import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RegressionSuiteRecord, RegressionSuiteSchema } from './regression-suite.schema';
import { RegressionSuiteRepository } from './regression-suite.repository';
import { RegressionSuitesController } from './regression-suites.controller';

/** Saved regression suites and their API; the repository is exported for the policy publish check. */
@Module({
  imports: [MongooseModule.forFeature([{ name: RegressionSuiteRecord.name, schema: RegressionSuiteSchema }])],
  controllers: [RegressionSuitesController],
  providers: [RegressionSuiteRepository],
  exports: [RegressionSuiteRepository],
})
export class RegressionModule {}
