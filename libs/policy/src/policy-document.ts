import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
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
import { SLUG_PATTERN, SLUG_RULE } from '@oversight/contracts';

export const TIERS = ['low', 'medium', 'high', 'critical'] as const;
export type Tier = (typeof TIERS)[number];

export const ROUTES = ['auto', 'review', 'block'] as const;
export type Route = (typeof ROUTES)[number];

export const SENSITIVITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** What happens when nobody decides within the SLA and every escalation step has passed. */
export const TIMEOUT_ACTIONS = ['reject', 'approve'] as const;
export type TimeoutAction = (typeof TIMEOUT_ACTIONS)[number];

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

export class EscalationStep {
  /** Minutes after the review was requested. */
  @IsInt()
  @Min(1)
  @Max(60 * 24 * 30)
  afterMinutes!: number;

  @IsArray()
  @ArrayMinSize(1)
  @Matches(SLUG_PATTERN, { each: true, message: `each role ${SLUG_RULE}` })
  notifyRoles!: string[];
}

/** Who must look at a decision before it runs, and how fast. */
export class ReviewRequirement {
  /** Distinct people who must approve; never the requester. */
  @IsInt()
  @Min(1)
  @Max(5)
  approvals!: number;

  /** Roles whose members may approve, further narrowed by their authority limits. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(SLUG_PATTERN, { each: true, message: `each role ${SLUG_RULE}` })
  roles!: string[];

  @IsInt()
  @Min(1)
  @Max(60 * 24 * 30)
  slaMinutes!: number;

  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => EscalationStep)
  escalation!: EscalationStep[];

  @IsIn(TIMEOUT_ACTIONS)
  onTimeout!: TimeoutAction;
}

export class RouteTable {
  @IsIn(ROUTES)
  low!: Route;

  @IsIn(ROUTES)
  medium!: Route;

  @IsIn(ROUTES)
  high!: Route;

  @IsIn(ROUTES)
  critical!: Route;
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

  /** Share of auto-approved decisions also sent for a non-blocking after-the-fact review, 0..1. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  auditSampleRate?: number;
}

export class FunctionPolicy {
  @IsOptional()
  @ValidateNested()
  @Type(() => ActionPolicy)
  defaults?: ActionPolicy;

  /** Action type → its rules. Validated entry by entry (see validatePolicyDocument). */
  @IsObject()
  actions!: Record<string, ActionPolicy>;
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
}
