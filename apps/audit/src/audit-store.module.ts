import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { STORE_CONNECTION_OPTIONS } from '@oversight/persistence';
import { AuditTrailReadModule } from '@oversight/audit-trail';
import { DecisionIndexRepository } from './decision-index.repository';
import { AuditTrailRepository } from './audit-trail.repository';
import { AuditEnvironment } from './config/audit-environment';

/**
 * The audit trail's store, shared by the service and the command-line tools: the write side (the repository)
 * here, the read side (AuditQueries) from @oversight/audit-trail. Needs a global ConfigModule.
 */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AuditEnvironment, true>) => ({
        uri: config.get('MONGODB_URI', { infer: true }),
        ...STORE_CONNECTION_OPTIONS,
      }),
    }),
    AuditTrailReadModule,
  ],
  providers: [AuditTrailRepository, DecisionIndexRepository],
  exports: [AuditTrailRepository, DecisionIndexRepository, AuditTrailReadModule],
})
export class AuditStoreModule {}
