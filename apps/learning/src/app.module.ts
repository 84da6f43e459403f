import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { LearningStoreModule } from '@oversight/learning-store';
import { parseBrokerList } from '@oversight/messaging';
import { ActivePolicy, HaltsInForce, MessagingModule } from '@oversight/messaging-nest';
import { storeConnectionOptions } from '@oversight/persistence';
import { environmentModule, fetchLimitsFrom } from '@oversight/service-config';
import { LearningEnvironment } from './config/learning-environment';
import { DriftMetrics } from './drift-metrics';
import { DriftWatch } from './drift-watch';
import { OversightEventsHandler } from './oversight-events.handler';

@Module({
  imports: [
    environmentModule(LearningEnvironment),
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<LearningEnvironment, true>) => ({
        uri: config.get('MONGODB_URI', { infer: true }),
        ...storeConnectionOptions('learning', config.get('STORE_COMMAND_LOG', { infer: true })),
      }),
    }),
    LearningStoreModule,
    MessagingModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<LearningEnvironment, true>) => ({
        brokers: parseBrokerList(config.get('KAFKA_BROKERS', { infer: true })),
        clientId: config.get('KAFKA_CLIENT_ID', { infer: true }),
        fetch: fetchLimitsFrom(config),
      }),
    }),
  ],
  providers: [ActivePolicy, HaltsInForce, DriftWatch, DriftMetrics, OversightEventsHandler],
})
export class AppModule {}
