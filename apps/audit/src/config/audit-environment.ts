import { Matches } from 'class-validator';
import { SLUG_PATTERN } from '@oversight/contracts';
import { CommonEnvironment } from '@oversight/service-config';

export class AuditEnvironment extends CommonEnvironment {
  /** Every audit instance joins this group; partitions are shared between them. */
  @Matches(SLUG_PATTERN, { message: 'AUDIT_CONSUMER_GROUP must be lower-case kebab-case' })
  AUDIT_CONSUMER_GROUP: string = 'audit';

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_CLIENT_ID must be 1-64 letters, digits, . _ -' })
  KAFKA_CLIENT_ID: string = 'audit';
}
