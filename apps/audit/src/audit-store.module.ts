import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { storeConnectionOptions } from '@oversight/persistence';
import { AuditTrailReadModule } from '@oversight/audit-trail';
import { DecisionIndexRepository } from './decision-index.repository';
import { AuditTrailRepository } from './audit-trail.repository';
import { AuditEnvironment } from './config/audit-environment';

/**
 * The audit trail's store, shared by the service and the command-line tools: the write side (the repository)
 * here, the read side (AuditQueries) from @oversight/audit-trail. Needs a global ConfigModule. `forRoot` names
 * the program, so the store command log tells the service's queries from the CLI's.
 */
@Module({})
export class AuditStoreModule {
  static forRoot(program: 'audit' | 'audit-cli'): DynamicModule {
    return {
      module: AuditStoreModule,
      imports: [
        MongooseModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<AuditEnvironment, true>) => ({
            uri: config.get('MONGODB_URI', { infer: true }),
            ...storeConnectionOptions(program, config.get('STORE_COMMAND_LOG', { infer: true })),
          }),
        }),
        AuditTrailReadModule,
      ],
      providers: [AuditTrailRepository, DecisionIndexRepository],
      exports: [AuditTrailRepository, DecisionIndexRepository, AuditTrailReadModule],
    };
  }
}
