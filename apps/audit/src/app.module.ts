import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { parseBrokerList } from '@oversight/messaging';
import { MessagingModule } from '@oversight/messaging-nest';
import { environmentModule, fetchLimitsFrom } from '@oversight/service-config';
import { AuditStoreModule } from './audit-store.module';
import { AuditEnvironment } from './config/audit-environment';
import { PlatformEventsHandler } from './platform-events.handler';

@Module({
  imports: [
    environmentModule(AuditEnvironment),
    AuditStoreModule.forRoot('audit'),
    MessagingModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AuditEnvironment, true>) => ({
        brokers: parseBrokerList(config.get('KAFKA_BROKERS', { infer: true })),
        clientId: config.get('KAFKA_CLIENT_ID', { infer: true }),
        fetch: fetchLimitsFrom(config),
      }),
    }),
  ],
  providers: [PlatformEventsHandler],
})
export class AppModule {}
