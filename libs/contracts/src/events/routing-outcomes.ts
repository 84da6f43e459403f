import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsISO8601,
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
import { PolicyRef, RiskReason } from './decision-scored';
import { DecisionProposed } from './decision-proposed';
import {
  EscalationStep,
  REJECTION_RULES,
  RejectionRule,
  TIERS,
  Tier,
  TIMEOUT_ACTIONS,
  TimeoutAction,
} from './review-terms';

/** Why a decision went where it went, in words, plus the score behind it. */
export abstract class RoutedDecision {
  @IsObject()
  @ValidateNested()
  @Type(() => DecisionProposed)
  proposal!: DecisionProposed;

  @IsInt()
  @Min(0)
  @Max(100)
  score!: number;

  @IsIn(TIERS)
  tier!: Tier;

  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RiskReason)
  riskReasons!: RiskReason[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  routingReasons!: string[];

  @IsObject()
  @ValidateNested()
  @Type(() => PolicyRef)
  policy!: PolicyRef;
}

/**
 * How an action came to be approved: by the policy on its own (auto), by people (human), or by the policy's
 * default when nobody decided in time (timeout-default; never for money, see the escalation service).
 */
export const APPROVAL_MODES = ['auto', 'human', 'timeout-default'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** One person's approval, with the roles they held when they gave it. */
export class Approver {
  @Matches(ID_PATTERN, { message: `id ${ID_RULE}` })
  id!: string;

  @IsArray()
  @ArrayMaxSize(50)
  @Matches(SLUG_PATTERN, { each: true, message: `each role ${SLUG_RULE}` })
  roles!: string[];

  @IsISO8601({ strict: true })
  at!: string;

  /** Set when the approver acted for someone out of office. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: `onBehalfOf ${ID_RULE}` })
  onBehalfOf?: string;
}

/**
 * The action may be carried out. Executors act on this event, once per decisionId. After a human review the
 * proposal is the one the reviewers approved, with any parameters they edited.
 */
export class ActionApproved extends RoutedDecision {
  @IsIn(APPROVAL_MODES)
  mode!: ApprovalMode;

  /** Who approved, when mode is human. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => Approver)
  approvers?: Approver[];
}

export const REVIEW_KINDS = ['blocking', 'post-hoc-sample'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/**
 * People must look at a decision: before it runs (blocking), or after it ran on its own, as a random sample
 * for after-the-fact audit (post-hoc-sample).
 */
export class ReviewRequested extends RoutedDecision {
  @IsIn(REVIEW_KINDS)
  kind!: ReviewKind;

  @IsInt()
  @Min(1)
  @Max(5)
  approvals!: number;

  @IsArray()
  @ArrayMinSize(1)
  @Matches(SLUG_PATTERN, { each: true, message: `each role ${SLUG_RULE}` })
  eligibleRoles!: string[];

  /** People who may not approve: the requester, at least. */
  @IsArray()
  @Matches(ID_PATTERN, { each: true, message: `each excluded approver ${ID_RULE}` })
  excludedApprovers!: string[];

  @IsISO8601({ strict: true })
  dueAt!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => EscalationStep)
  escalation!: EscalationStep[];

  @IsIn(TIMEOUT_ACTIONS)
  onTimeout!: TimeoutAction;

  @IsOptional()
  @IsIn(REJECTION_RULES)
  rejectWhen?: RejectionRule;

  /** At least one approver must hold this role (critical tier, when the policy names one). */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: `seniorRole ${SLUG_RULE}` })
  seniorRole?: string;

  /**
   * The most each review role may approve, in `currency`, as the deciding policy version said: lets the
   * review explain a refusal and re-check eligibility after an edit.
   */
  @IsOptional()
  @IsObject()
  authority?: Record<string, number>;

  @IsOptional()
  @IsISO4217CurrencyCode()
  currency?: string;
}

/** The action must not run: the policy blocks it, or nobody has the authority to approve it. */
export class DecisionBlocked extends RoutedDecision {}
