import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
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
import { RiskVerdict } from './decision-scored';
import { MonetaryAmount } from './decision-proposed';
import { Approver, RoutedDecision } from './routing-outcomes';

/** Everything that can happen to a review task; each is one ReviewActivity event in the audit trail. */
export const REVIEW_ACTS = [
  'opened',
  'claimed',
  'released',
  'reassigned',
  'approved',
  'rejected',
  'edited',
  'commented',
  'sla-warning',
  'escalated',
  'expired',
] as const;
export type ReviewAct = (typeof REVIEW_ACTS)[number];

export const REVIEW_TASK_STATUSES = ['open', 'claimed', 'approved', 'rejected', 'expired'] as const;
export type ReviewTaskStatus = (typeof REVIEW_TASK_STATUSES)[number];

/** Why a reviewer said no, in a form reports can count. The comment says the rest. */
export const REVIEW_REJECTION_REASONS = [
  'policy-violation',
  'incorrect-data',
  'insufficient-evidence',
  'risk-too-high',
  'duplicate',
  'suspected-fraud',
  'other',
] as const;
export type ReviewRejectionReason = (typeof REVIEW_REJECTION_REASONS)[number];

export const ACTOR_KINDS = ['user', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Who acted: a signed-in person (id and roles from their token) or the platform itself (timers). */
export class Actor {
  @IsIn(ACTOR_KINDS)
  kind!: ActorKind;

  @Matches(ID_PATTERN, { message: `id ${ID_RULE}` })
  id!: string;

  @IsArray()
  @ArrayMaxSize(50)
  @Matches(SLUG_PATTERN, { each: true, message: `each role ${SLUG_RULE}` })
  roles!: string[];

  /** Set when a delegate acts for someone out of office. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: `onBehalfOf ${ID_RULE}` })
  onBehalfOf?: string;
}

export class QuorumProgress {
  @IsInt()
  @Min(0)
  @Max(5)
  given!: number;

  @IsInt()
  @Min(1)
  @Max(5)
  required!: number;
}

/** The scoring of an edited action, and the quorum it now needs (never lower than before). */
export class Rescore extends RiskVerdict {
  @IsInt()
  @Min(1)
  @Max(5)
  approvalsRequired!: number;

  @IsArray()
  @Matches(SLUG_PATTERN, { each: true, message: `each role ${SLUG_RULE}` })
  eligibleRoles!: string[];
}

export class EscalationLevel {
  @IsInt()
  @Min(1)
  @Max(10)
  level!: number;

  @IsArray()
  @Matches(SLUG_PATTERN, { each: true, message: `each role ${SLUG_RULE}` })
  notifyRoles!: string[];
}

/** One thing that happened to a review task: who did it, what it changed, and where the task stands after. */
export class ReviewActivity {
  @IsIn(REVIEW_ACTS)
  act!: ReviewAct;

  @IsObject()
  @ValidateNested()
  @Type(() => Actor)
  actor!: Actor;

  /** The task's version after the write that recorded the act (one write may record several, e.g. timers). */
  @IsInt()
  @Min(1)
  taskVersion!: number;

  @IsIn(REVIEW_TASK_STATUSES)
  status!: ReviewTaskStatus;

  @IsObject()
  @ValidateNested()
  @Type(() => QuorumProgress)
  quorum!: QuorumProgress;

  @IsOptional()
  @IsIn(REVIEW_REJECTION_REASONS)
  reasonCode?: ReviewRejectionReason;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;

  /** After an edit: the action's parameters as the reviewer left them. */
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @IsOptional()
  @ValidateNested()
  @Type(() => MonetaryAmount)
  amount?: MonetaryAmount;

  @IsOptional()
  @ValidateNested()
  @Type(() => Rescore)
  rescore?: Rescore;

  @IsOptional()
  @ValidateNested()
  @Type(() => EscalationLevel)
  escalation?: EscalationLevel;

  /** Claimed: the lease's end. Reassigned: the new assignee's too. */
  @IsOptional()
  @IsISO8601({ strict: true })
  claimUntil?: string;

  @IsOptional()
  @Matches(ID_PATTERN, { message: `assignee ${ID_RULE}` })
  assignee?: string;
}

export const REJECTION_MODES = ['human', 'timeout-default'] as const;
export type RejectionMode = (typeof REJECTION_MODES)[number];

/** The action must not run: reviewers said no, or nobody decided in time and the policy's default is no. */
export class DecisionRejected extends RoutedDecision {
  @IsIn(REJECTION_MODES)
  mode!: RejectionMode;

  /** The reviewers whose rejections ended the review; empty on timeout. */
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => Approver)
  rejectedBy!: Approver[];

  /** A REVIEW_REJECTION_REASONS code, or `timeout`. */
  @IsIn([...REVIEW_REJECTION_REASONS, 'timeout'])
  reasonCode!: ReviewRejectionReason | 'timeout';

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}
