import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditEventRecord, AuditEventSchema } from './audit-event.schema';
import { AuditQueries } from './audit-queries';
import { DecisionIndexEntry, DecisionIndexSchema } from './decision-index';

/**
 * The read side of the audit trail (timelines, decision status, exports, verification) for any app with a
 * mongoose connection to the platform's store: the audit service's tools and the gateway.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: AuditEventRecord.name, schema: AuditEventSchema },
      { name: DecisionIndexEntry.name, schema: DecisionIndexSchema },
    ]),
  ],
  providers: [AuditQueries],
  exports: [AuditQueries, MongooseModule],
})
export class AuditTrailReadModule {}
