import { IsInt, Matches, Max, Min } from 'class-validator';
import { SLUG_PATTERN } from '@oversight/contracts';
import { CommonEnvironment } from '@oversight/service-config';

export class AuditEnvironment extends CommonEnvironment {
  /** Every audit instance joins this group; partitions are shared between them. */
  @Matches(SLUG_PATTERN, { message: 'AUDIT_CONSUMER_GROUP must be lower-case kebab-case' })
  AUDIT_CONSUMER_GROUP: string = 'audit';

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_CLIENT_ID must be 1-64 letters, digits, . _ -' })
  KAFKA_CLIENT_ID: string = 'audit';

  /** Partitions whose batches are stored side by side (one per partition number at a time). */
  @IsInt()
  @Min(1)
  @Max(64)
  AUDIT_PARTITIONS_CONCURRENTLY: number = 3;

  /**
   * Events per bulk write. Small enough that a chunk ends well inside the group's 30 s session even on a busy
   * store (the consumer heartbeats between chunks); at 500 a slow store got the member evicted chunk after chunk.
   */
  @IsInt()
  @Min(1)
  @Max(1_000)
  AUDIT_BATCH_SIZE: number = 100;

  /** How long the broker may hold a fetch of the audit's topics to fill it (64 KiB), in ms. */
  @IsInt()
  @Min(0)
  @Max(5_000)
  AUDIT_FETCH_WAIT_MS: number = 100;
}
