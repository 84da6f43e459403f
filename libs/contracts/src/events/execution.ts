import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SLUG_PATTERN, SLUG_RULE } from '../envelope';

/** Most tries of one approved action an executor reports (automatic retries and people's retries together). */
export const MAX_EXECUTION_ATTEMPTS = 100;

/** What every execution report carries: which executor, which try, and the key it used downstream. */
export abstract class ExecutionReport {
  /** The executor (its consumer group), e.g. `billing-credits`. */
  @Matches(SLUG_PATTERN, { message: `executor ${SLUG_RULE}` })
  executor!: string;

  /** 1 on the first try of this decision's action. */
  @IsInt()
  @Min(1)
  @Max(MAX_EXECUTION_ATTEMPTS)
  attempt!: number;

  /**
   * `<decisionId>#<attempt>`: what the executor passed to the system that carried the action out, so that
   * system can refuse a repeat of the same try.
   */
  @IsString()
  @Length(1, 200)
  idempotencyKey!: string;

  @IsInt()
  @Min(0)
  durationMs!: number;
}

/** The approved action was carried out. */
export class ActionExecuted extends ExecutionReport {
  /** What the target system answered (a ledger entry id, a ticket number), as the executor chose to report it. */
  @IsOptional()
  @IsObject()
  result?: Record<string, unknown>;
}

export class ExecutionError {
  @IsString()
  @Length(1, 2000)
  message!: string;

  /** Machine-readable, the executor's own vocabulary, e.g. `account-closed`, `timeout`, `in-doubt`. */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: `code ${SLUG_RULE}` })
  code?: string;
}

/**
 * A try of the approved action failed. Retryable failures are retried by the executor with backoff up to its
 * limit (`willRetry`); the last failed try, and any that is not retryable, goes to a person to resolve.
 */
export class ActionFailed extends ExecutionReport {
  @IsObject()
  @ValidateNested()
  @Type(() => ExecutionError)
  error!: ExecutionError;

  @IsBoolean()
  retryable!: boolean;

  /** Whether the executor tries again on its own; false hands the failure to people. */
  @IsBoolean()
  willRetry!: boolean;

  /** What the executor saw when it failed (the parameters it used, the target system's answer), for a person. */
  @IsObject()
  context!: Record<string, unknown>;
}
