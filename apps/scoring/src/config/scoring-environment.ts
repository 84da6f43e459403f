import { Matches } from 'class-validator';
import { SLUG_PATTERN } from '@oversight/contracts';
import { CommonEnvironment } from '@oversight/service-config';

export class ScoringEnvironment extends CommonEnvironment {
  @Matches(SLUG_PATTERN, { message: 'SCORING_CONSUMER_GROUP must be lower-case kebab-case' })
  SCORING_CONSUMER_GROUP: string = 'scoring';

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_CLIENT_ID must be 1-64 letters, digits, . _ -' })
  KAFKA_CLIENT_ID: string = 'scoring';

  /** Which published policy this deployment applies; until one is published, the built-in safe default. */
  @Matches(SLUG_PATTERN, { message: 'POLICY_ID must be lower-case kebab-case' })
  POLICY_ID: string = 'reference';
}
