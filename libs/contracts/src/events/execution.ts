import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
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
import { ID_PATTERN, ID_RULE, SLUG_PATTERN, SLUG_RULE } from '../envelope';
import { DecisionProposed } from './decision-proposed';
import { Actor } from './review-activity';

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

  /** The action as this try ran it: what a person resolving the failure starts from. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DecisionProposed)
  proposal?: DecisionProposed;
}

/** Why a person gave up on an action that failed, in a form reports can count. The comment says the rest. */
export const ABANDON_REASONS = [
  'no-longer-needed',
  'done-by-hand',
  'cannot-be-done',
  // The corrected action scored riskier than the approved one: it went back through review as a new decision.
  'resubmitted-for-review',
  'other',
] as const;
export type AbandonReason = (typeof ABANDON_REASONS)[number];

/** A person corrected an action that failed for good and asked its executor to try again. */
export class ExecutionRetryRequested {
  @Matches(SLUG_PATTERN, { message: `executor ${SLUG_RULE}` })
  executor!: string;

  /** The try this asks for: one after the failed one. */
  @IsInt()
  @Min(2)
  @Max(MAX_EXECUTION_ATTEMPTS)
  attempt!: number;

  /** The action as corrected; its risk is no higher than the approved action's. */
  @IsObject()
  @ValidateNested()
  @Type(() => DecisionProposed)
  proposal!: DecisionProposed;

  @IsObject()
  @ValidateNested()
  @Type(() => Actor)
  requestedBy!: Actor;

  /** The parameters the person changed (and `amount` when they changed it). */
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  changed!: string[];

  @IsString()
  @Length(1, 2000)
  comment!: string;
}

/** A person gave up on an action that failed for good: it will not run. */
export class ActionAbandoned {
  @Matches(SLUG_PATTERN, { message: `executor ${SLUG_RULE}` })
  executor!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => Actor)
  abandonedBy!: Actor;

  @IsIn(ABANDON_REASONS)
  reasonCode!: AbandonReason;

  @IsString()
  @Length(1, 2000)
  comment!: string;

  /** With `resubmitted-for-review`: the new decision the corrected action was proposed as. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: `resubmittedAs ${ID_RULE}` })
  resubmittedAs?: string;
}

/**
 * A supervisor reverses an action that ran on its own (human-on-the-loop), within the policy's window: the
 * executor that carried it out runs its compensation.
 */
export class ReversalRequested {
  /** The executor that carried the action out. */
  @Matches(SLUG_PATTERN, { message: `executor ${SLUG_RULE}` })
  executor!: string;

  /** The try that carried it out. */
  @IsInt()
  @Min(1)
  @Max(MAX_EXECUTION_ATTEMPTS)
  attempt!: number;

  /** The action as it was carried out. */
  @IsObject()
  @ValidateNested()
  @Type(() => DecisionProposed)
  proposal!: DecisionProposed;

  /** What the executor reported when it carried it out (a ledger entry, a ticket), for the compensation. */
  @IsOptional()
  @IsObject()
  result?: Record<string, unknown>;

  @IsObject()
  @ValidateNested()
  @Type(() => Actor)
  requestedBy!: Actor;

  @IsString()
  @Length(1, 2000)
  comment!: string;
}

/** The executor's compensation ran: the action is undone. */
export class ActionReversed {
  @Matches(SLUG_PATTERN, { message: `executor ${SLUG_RULE}` })
  executor!: string;

  @IsInt()
  @Min(0)
  durationMs!: number;

  @IsOptional()
  @IsObject()
  result?: Record<string, unknown>;
}

/** The compensation failed, or the executor has none: the action stands, and a person must undo it by hand. */
export class ReversalFailed {
  @Matches(SLUG_PATTERN, { message: `executor ${SLUG_RULE}` })
  executor!: string;

  @IsInt()
  @Min(0)
  durationMs!: number;

  @IsObject()
  @ValidateNested()
  @Type(() => ExecutionError)
  error!: ExecutionError;

  @IsObject()
  context!: Record<string, unknown>;
}
