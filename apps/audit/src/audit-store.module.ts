import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { STORE_CONNECTION_OPTIONS } from '@oversight/persistence';
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
        ...STORE_CONNECTION_OPTIONS,
      }),
    }),
    MongooseModule.forFeature([{ name: AuditEventRecord.name, schema: AuditEventSchema }]),
  ],
  providers: [AuditTrailRepository, AuditQueries],
  exports: [AuditTrailRepository, AuditQueries],
})
export class AuditStoreModule {}
