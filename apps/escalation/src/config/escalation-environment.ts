import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { SLUG_PATTERN } from '@oversight/contracts';
import { AuthEnvironment } from '@oversight/auth';

export class EscalationEnvironment extends AuthEnvironment {
  @Matches(SLUG_PATTERN, { message: 'ESCALATION_CONSUMER_GROUP must be lower-case kebab-case' })
  ESCALATION_CONSUMER_GROUP: string = 'escalation';

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_CLIENT_ID must be 1-64 letters, digits, . _ -' })
  KAFKA_CLIENT_ID: string = 'escalation';

  /** The policy an edited action is scored against again. */
  @Matches(SLUG_PATTERN, { message: 'POLICY_ID must be lower-case kebab-case' })
  POLICY_ID: string = 'reference';

  /** The review API (the gateway calls it; not meant to face the internet). */
  @IsInt()
  @Min(1)
  @Max(65535)
  ESCALATION_PORT: number = 8081;

  @IsString()
  ESCALATION_HOST: string = '127.0.0.1';

  /** How long a claim holds others off. */
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  CLAIM_LEASE_MINUTES: number = 15;

  /** How often due timers and unpublished events are looked for; timers themselves are stored with the task. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  TIMER_POLL_MS: number = 1000;

  /** Events still in a task's outbox this long after the write are published by the sweep. */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  OUTBOX_GRACE_MS: number = 5000;
}
