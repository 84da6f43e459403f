import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
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
import { EscalationStep, TIERS, Tier, TIMEOUT_ACTIONS, TimeoutAction } from './review-terms';

/** Why a decision went where it went, in words, plus the score behind it. */
abstract class RoutedDecision {
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

export const APPROVAL_MODES = ['auto', 'human'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** The action may be carried out. Executors act on this event, once per decisionId. */
export class ActionApproved extends RoutedDecision {
  @IsIn(APPROVAL_MODES)
  mode!: ApprovalMode;
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
}

/** The action must not run: the policy blocks it, or nobody has the authority to approve it. */
export class DecisionBlocked extends RoutedDecision {}
