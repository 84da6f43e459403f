import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SLUG_PATTERN, SLUG_RULE } from '../envelope';

export const TIERS = ['low', 'medium', 'high', 'critical'] as const;
export type Tier = (typeof TIERS)[number];

export const ROUTES = ['auto', 'review', 'block'] as const;
export type Route = (typeof ROUTES)[number];

/** What happens when nobody decides within the SLA and every escalation step has passed. */
export const TIMEOUT_ACTIONS = ['reject', 'approve'] as const;
export type TimeoutAction = (typeof TIMEOUT_ACTIONS)[number];

/** When rejections end a review: at the first one by an eligible reviewer, or once as many as approvals needed. */
export const REJECTION_RULES = ['first', 'quorum'] as const;
export type RejectionRule = (typeof REJECTION_RULES)[number];

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

/** More approvals for riskier tiers: a tier not named needs the requirement's `approvals`. */
export class TierApprovals {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  low?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  medium?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  high?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  critical?: number;
}

/** Who must look at a decision before it runs, and how fast: written in a policy, carried in review events. */
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

  /** Raises `approvals` for the tiers it names (an edit that raises the tier raises the quorum with it). */
  @IsOptional()
  @ValidateNested()
  @Type(() => TierApprovals)
  approvalsByTier?: TierApprovals;

  /** Default `first`. */
  @IsOptional()
  @IsIn(REJECTION_RULES)
  rejectWhen?: RejectionRule;

  /** For critical-tier decisions, at least one approver must hold this role (one of `roles`). */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: `seniorRole ${SLUG_RULE}` })
  seniorRole?: string;
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
