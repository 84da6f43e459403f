import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditEventRecord, AuditEventSchema } from './audit-event.schema';
import { AuditQueries } from './audit-queries';
import { AuditTrailRepository } from './audit-trail.repository';
import { AuditEnvironment } from './config/audit-environment';

/** The audit trail's store, shared by the service and the command-line tools. Needs a global ConfigModule. */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AuditEnvironment, true>) => ({
        uri: config.get('MONGODB_URI', { infer: true }),
        // FerretDB and a standalone mongod have no retryable writes; idempotent writes make them unnecessary.
        retryWrites: false,
        serverSelectionTimeoutMS: 10_000,
      }),
    }),
    MongooseModule.forFeature([{ name: AuditEventRecord.name, schema: AuditEventSchema }]),
  ],
  providers: [AuditTrailRepository, AuditQueries],
  exports: [AuditTrailRepository, AuditQueries],
})
export class AuditStoreModule {}
