import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { MessagingModule } from '@oversight/messaging-nest';
import { parseBrokerList } from '@oversight/messaging';
import { validateEnvironment } from '@oversight/service-config';
import { AuditEventRecord, AuditEventSchema } from './audit-event.schema';
import { AuditTrailRepository } from './audit-trail.repository';
import { AuditEnvironment } from './config/audit-environment';
import { PlatformEventsHandler } from './platform-events.handler';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      validate: validateEnvironment(AuditEnvironment),
    }),
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AuditEnvironment, true>) => ({
        uri: config.get('MONGODB_URI', { infer: true }),
        // FerretDB and a standalone mongod have no retryable writes; idempotent inserts make them unnecessary.
        retryWrites: false,
        serverSelectionTimeoutMS: 10_000,
      }),
    }),
    MongooseModule.forFeature([{ name: AuditEventRecord.name, schema: AuditEventSchema }]),
    MessagingModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AuditEnvironment, true>) => ({
        brokers: parseBrokerList(config.get('KAFKA_BROKERS', { infer: true })),
        clientId: config.get('KAFKA_CLIENT_ID', { infer: true }),
      }),
    }),
  ],
  providers: [AuditTrailRepository, PlatformEventsHandler],
})
export class AppModule {}
