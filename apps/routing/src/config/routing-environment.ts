import { IsInt, Matches, Max, Min } from 'class-validator';
import { SLUG_PATTERN } from '@oversight/contracts';
import { CommonEnvironment } from '@oversight/service-config';

export class RoutingEnvironment extends CommonEnvironment {
  @Matches(SLUG_PATTERN, { message: 'ROUTING_CONSUMER_GROUP must be lower-case kebab-case' })
  ROUTING_CONSUMER_GROUP: string = 'routing';

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_CLIENT_ID must be 1-64 letters, digits, . _ -' })
  KAFKA_CLIENT_ID: string = 'routing';

  /**
   * Decisions per partition the claim filter is sized for (at 0.1 % false positives, 1.8 MB per partition
   * for a million). Past it the filter says "maybe" more often, and each maybe costs a ledger lookup.
   */
  @IsInt()
  @Min(1_000)
  @Max(100_000_000)
  ROUTING_CLAIMS_PER_PARTITION: number = 1_000_000;

  /** How often claims are written behind to the routing ledger, off the decisions' path. */
  @IsInt()
  @Min(50)
  @Max(60_000)
  ROUTING_LEDGER_WRITE_MS: number = 1000;

  /** The claim filter is saved after this many new claims (a replay after a crash reads at most this many). */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  ROUTING_FILTER_SAVE_EVERY: number = 50_000;

  /** Events per routing transaction at most. */
  @IsInt()
  @Min(1)
  @Max(5_000)
  ROUTING_BATCH_SIZE: number = 500;

  /**
   * Fault injection for the test that kills routing inside an open transaction: every transaction stays open
   * this long before it commits. Leave at 0.
   */
  @IsInt()
  @Min(0)
  @Max(60_000)
  ROUTING_COMMIT_DELAY_MS: number = 0;
}
