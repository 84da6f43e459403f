import { Matches } from 'class-validator';
import { SLUG_PATTERN } from '@oversight/contracts';
import { CommonEnvironment } from '@oversight/service-config';

export class RoutingEnvironment extends CommonEnvironment {
  @Matches(SLUG_PATTERN, { message: 'ROUTING_CONSUMER_GROUP must be lower-case kebab-case' })
  ROUTING_CONSUMER_GROUP: string = 'routing';

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_CLIENT_ID must be 1-64 letters, digits, . _ -' })
  KAFKA_CLIENT_ID: string = 'routing';
}
