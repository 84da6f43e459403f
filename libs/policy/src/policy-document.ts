import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ReviewRequirement, RouteTable, SLUG_PATTERN, SLUG_RULE } from '@oversight/contracts';
import { NotificationPolicy } from './notification-policy';
import { LearningPolicy } from './learning-policy';

export {
  TIERS,
  ROUTES,
  TIMEOUT_ACTIONS,
  EscalationStep,
  ReviewRequirement,
  RouteTable,
} from '@oversight/contracts';
export type { Tier, Route, TimeoutAction } from '@oversight/contracts';

export const SENSITIVITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** A risk contribution: whole points of the 0..100 score. */
function Risk(): PropertyDecorator {
  return (target, key) => {
    for (const rule of [IsInt(), Min(0), Max(100)]) rule(target, key as string);
  };
}

/** Adds `risk` when the amount is at least `from` (in the policy's currency). The highest matching band wins. */
export class AmountBand {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  from!: number;

  @Risk()
  risk!: number;
}

/** Adds `risk` when the model's confidence is below `below`. The lowest matching band wins. */
export class ConfidenceBand {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  below!: number;

  @Risk()
  risk!: number;
}

/** Adds `risk` when an action parameter has a given value, e.g. `receiptMissing: true` on an invoice posting. */
export class ParameterFlag {
  @Matches(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, { message: 'parameter must be a plain parameter name' })
  parameter!: string;

  @IsIn([true, false], { message: 'equals must be true or false' })
  @IsOptional()
  equals?: boolean;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  equalsText?: string;

  @Risk()
  risk!: number;

  @IsString()
  @Length(1, 200)
  reason!: string;
}

/**
 * The rules for one action type. Every field is optional here: what an action leaves out comes from its
 * function's defaults, then from the policy's defaults (see resolveActionRule).
 */
export class ActionPolicy {
  @IsOptional()
  @IsIn(SENSITIVITIES)
  sensitivity?: Sensitivity;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AmountBand)
  amountBands?: AmountBand[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ConfidenceBand)
  confidenceBands?: ConfidenceBand[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ParameterFlag)
  flags?: ParameterFlag[];

  /** Money moves in this action: a proposal without an amount is itself a risk. */
  @IsOptional()
  @IsBoolean()
  requiresAmount?: boolean;

  /** Checked against RouteTable, missing tiers allowed (see validatePolicyDocument). */
  @IsOptional()
  @IsObject()
  routes?: Partial<RouteTable>;

  /** Checked against ReviewRequirement, missing fields allowed (see validatePolicyDocument). */
  @IsOptional()
  @IsObject()
  review?: Partial<ReviewRequirement>;

  /**
   * Role → the most a member may approve for this action, over the policy-wide `authority` (e.g. a billing
   * supervisor may credit up to 25,000 but refund only 5,000).
   */
  @IsOptional()
  @IsObject()
  authority?: Record<string, number>;

  /** Share of auto-approved decisions also sent for a non-blocking after-the-fact review, 0..1. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  auditSampleRate?: number;

  /**
   * How long after an action ran on its own a supervisor may still reverse it, in minutes; 0 (the default) means
   * never. Irreversible actions are never reversed, whatever this says.
   */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60 * 24 * 90)
  reversalWindowMinutes?: number;
}

export class FunctionPolicy {
  @IsOptional()
  @ValidateNested()
  @Type(() => ActionPolicy)
  defaults?: ActionPolicy;

  /** Action type → its rules. Validated entry by entry (see validatePolicyDocument). */
  @IsObject()
  actions!: Record<string, ActionPolicy>;

  /** The function's own learning-loop targets and drift bounds, over the policy's. */
  @IsOptional()
  @ValidateNested()
  @Type(() => LearningPolicy)
  learning?: LearningPolicy;
}

/** Score at which each tier starts; below `medium` is low. */
export class TierThresholds {
  @Risk()
  medium!: number;

  @Risk()
  high!: number;

  @Risk()
  critical!: number;
}

export class SensitivityRisk {
  @Risk()
  low!: number;

  @Risk()
  medium!: number;

  @Risk()
  high!: number;

  @Risk()
  critical!: number;
}

export class ReversibilityRisk {
  @Risk()
  reversible!: number;

  @Risk()
  'partially-reversible'!: number;

  @Risk()
  irreversible!: number;
}

/** One deployment's oversight policy, as written in YAML or JSON and published as a versioned document. */
export class PolicyDocument {
  @Matches(SLUG_PATTERN, { message: `policyId ${SLUG_RULE}` })
  policyId!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @IsString()
  @Length(1, 2000)
  description!: string;

  /** The currency amount bands and authority limits are written in. */
  @IsISO4217CurrencyCode()
  currency!: string;

  @ValidateNested()
  @Type(() => TierThresholds)
  tiers!: TierThresholds;

  @ValidateNested()
  @Type(() => SensitivityRisk)
  sensitivityRisk!: SensitivityRisk;

  @ValidateNested()
  @Type(() => ReversibilityRisk)
  reversibilityRisk!: ReversibilityRisk;

  /** Risk added when the amount is in another currency than the policy's: it cannot be weighed. */
  @Risk()
  foreignCurrencyRisk!: number;

  /** Risk added when an action that moves money comes without an amount. */
  @Risk()
  missingAmountRisk!: number;

  /**
   * What every action falls back on, and what applies to functions and actions the policy does not name. Must
   * be complete (sensitivity, every route, a full review requirement) and conservative: no tier routes to auto.
   */
  @ValidateNested()
  @Type(() => ActionPolicy)
  defaults!: ActionPolicy;

  /** Role → the largest amount (in the policy's currency) a member of it may approve. */
  @IsObject()
  authority!: Record<string, number>;

  /** Business function → its actions. Validated entry by entry (see validatePolicyDocument). */
  @IsObject()
  functions!: Record<string, FunctionPolicy>;

  /** How reviewers are told about tasks; none when absent. */
  @IsOptional()
  @ValidateNested()
  @Type(() => NotificationPolicy)
  notifications?: NotificationPolicy;

  /** Targets and drift bounds of the learning loop (see resolveLearningPolicy); safe defaults when absent. */
  @IsOptional()
  @ValidateNested()
  @Type(() => LearningPolicy)
  learning?: LearningPolicy;
}
