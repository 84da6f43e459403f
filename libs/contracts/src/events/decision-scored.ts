import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsNumber,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SLUG_PATTERN, SLUG_RULE } from '../envelope';
import { DecisionProposed } from './decision-proposed';
import { ReviewRequirement, RouteTable, TIERS, Tier } from './review-terms';

export const RISK_REASON_CODES = [
  'unnamed-action',
  'sensitivity',
  'amount',
  'missing-amount',
  'foreign-currency',
  'low-confidence',
  'reversibility',
  'parameter-flag',
] as const;
export type RiskReasonCode = (typeof RISK_REASON_CODES)[number];

/** One scoring rule that fired, with the values that made it fire: what a reviewer reads to see why. */
export class RiskReason {
  @IsIn(RISK_REASON_CODES)
  code!: RiskReasonCode;

  @IsInt()
  @Min(0)
  @Max(100)
  points!: number;

  @IsString()
  @Length(1, 500)
  detail!: string;

  @IsObject()
  values!: Record<string, string | number | boolean>;
}

export class PolicyRef {
  @Matches(SLUG_PATTERN, { message: `policyId ${SLUG_RULE}` })
  policyId!: string;

  @IsInt()
  @Min(1)
  policyVersion!: number;
}

/**
 * The part of the policy that decides this decision's fate, as scoring resolved it. Routing applies exactly
 * this, so a policy published between scoring and routing cannot mix two versions in one decision.
 */
export class AppliedRule extends PolicyRef {
  @ValidateNested()
  @Type(() => RouteTable)
  routes!: RouteTable;

  @ValidateNested()
  @Type(() => ReviewRequirement)
  review!: ReviewRequirement;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  auditSampleRate!: number;

  @IsISO4217CurrencyCode()
  currency!: string;

  /** The most each review role may approve, in `currency`. */
  @IsObject()
  authority!: Record<string, number>;
}

/** A risk score, its tier and every rule that fired: what scoring says of a proposal, first or after an edit. */
export class RiskVerdict {
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
  reasons!: RiskReason[];
}

/** Scoring's verdict on a proposal, with the proposal itself so later steps need no lookup. */
export class DecisionScored extends RiskVerdict {
  @IsObject()
  @ValidateNested()
  @Type(() => DecisionProposed)
  proposal!: DecisionProposed;

  @IsObject()
  @ValidateNested()
  @Type(() => AppliedRule)
  rule!: AppliedRule;
}
