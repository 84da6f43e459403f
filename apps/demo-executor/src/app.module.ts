import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { STORE_CONNECTION_OPTIONS } from '@oversight/persistence';
import { environmentModule } from '@oversight/service-config';
import { DemoExecutorEnvironment } from './config/demo-executor-environment';
import { LedgerExecutor } from './ledger-executor';
import { LedgerRecord, LedgerRecordSchema, LedgerRepository } from './ledger.repository';

@Module({
  imports: [
    environmentModule(DemoExecutorEnvironment),
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<DemoExecutorEnvironment, true>) => ({
        uri: config.get('MONGODB_URI', { infer: true }),
        ...STORE_CONNECTION_OPTIONS,
      }),
    }),
    MongooseModule.forFeature([{ name: LedgerRecord.name, schema: LedgerRecordSchema }]),
  ],
  providers: [LedgerRepository, LedgerExecutor],
})
export class AppModule {}
