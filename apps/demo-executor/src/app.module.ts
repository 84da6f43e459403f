import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { storeConnectionOptions } from '@oversight/persistence';
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
        ...storeConnectionOptions('demo-executor', config.get('STORE_COMMAND_LOG', { infer: true })),
      }),
    }),
    MongooseModule.forFeature([{ name: LedgerRecord.name, schema: LedgerRecordSchema }]),
  ],
  providers: [LedgerRepository, LedgerExecutor],
})
export class AppModule {}
