import { IsInt, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateBy } from 'class-validator';
import { SLUG_PATTERN } from '@oversight/contracts';
import { AuthEnvironment } from '@oversight/auth';

/** The webhook signing secret out of the box: fine on a laptop, refused in production. */
export const DEVELOPMENT_WEBHOOK_SECRET = 'insecure-development-webhook-secret-change-me';

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

  /** How often the review queue gauges are read from the open tasks (see ReviewQueueMetrics). */
  @IsInt()
  @Min(500)
  @Max(300_000)
  REVIEW_QUEUE_METRICS_MS: number = 15_000;

  /** How often the timetable is read for due timers (see ReviewClock); timers themselves are stored. */
  @IsInt()
  @Min(100)
  @Max(60_000)
  TIMER_POLL_MS: number = 1000;

  /**
   * How often the open tasks are scanned for a due timer the timetable did not list (one set while no instance
   * ran); also once at start. Timers are otherwise found in the timetable, at a cost that does not grow with
   * the open tasks.
   */
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  REVIEW_RESCAN_MS: number = 300_000;

  /** Events still in a task's outbox this long after the write are published by the clock's scan. */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  OUTBOX_GRACE_MS: number = 5000;

  /**
   * How often the open tasks are scanned for events left in an outbox past OUTBOX_GRACE_MS (a writer killed
   * mid-act, or a publish that never returned), and at start: how long such an act can wait to be published.
   * The open tasks are bounded by open work, so the scan stays small.
   */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  OUTBOX_RESCAN_MS: number = 30_000;

  /** Where review emails are sent from: smtp://, smtps://, with credentials in the URL if the server wants them. */
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL: string = 'smtp://127.0.0.1:2525';

  @IsString()
  @MinLength(1)
  NOTIFY_FROM: string = 'Oversight <oversight@localhost>';

  /** Signs every webhook (HMAC-SHA256); receivers verify with the same secret. */
  @IsString()
  @MinLength(32, { message: 'NOTIFY_WEBHOOK_SECRET must be at least 32 characters' })
  @ValidateBy({
    name: 'notTheDevelopmentWebhookSecretInProduction',
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as EscalationEnvironment).NODE_ENV !== 'production' ||
        value !== DEVELOPMENT_WEBHOOK_SECRET,
      defaultMessage: () =>
        'NOTIFY_WEBHOOK_SECRET is the development default; set your own when NODE_ENV=production',
    },
  })
  NOTIFY_WEBHOOK_SECRET: string = DEVELOPMENT_WEBHOOK_SECRET;

  /** Tries per notification and channel, the first included; the wait doubles from NOTIFY_RETRY_DELAY_MS. */
  @IsInt()
  @Min(1)
  @Max(20)
  NOTIFY_MAX_ATTEMPTS: number = 5;

  @IsInt()
  @Min(10)
  @Max(60_000)
  NOTIFY_RETRY_DELAY_MS: number = 500;

  /** Review activity older than this is not notified (a new consumer group starts from the topic's beginning). */
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  NOTIFY_MAX_AGE_MINUTES: number = 15;

  /** Links in notifications point here (the reviewer console). */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'CONSOLE_URL must be an http(s) URL' },
  )
  CONSOLE_URL: string = 'http://127.0.0.1:8080';
}
