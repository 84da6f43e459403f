import { IsInt, Matches, Max, Min } from 'class-validator';
import { SLUG_PATTERN } from '@oversight/contracts';
import { CommonEnvironment } from '@oversight/service-config';

export class LearningEnvironment extends CommonEnvironment {
  /** Every learning instance joins this group; partitions are shared between them. */
  @Matches(SLUG_PATTERN, { message: 'LEARNING_CONSUMER_GROUP must be lower-case kebab-case' })
  LEARNING_CONSUMER_GROUP: string = 'learning';

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_CLIENT_ID must be 1-64 letters, digits, . _ -' })
  KAFKA_CLIENT_ID: string = 'learning';

  /** The published policy whose targets and drift bounds apply. */
  @Matches(SLUG_PATTERN, { message: 'POLICY_ID must be lower-case kebab-case' })
  POLICY_ID: string = 'reference';

  /** How often functions with new answers are checked for drift, in milliseconds. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  LEARNING_DRIFT_CHECK_MS: number = 30_000;
}
