import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
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
import {
  ID_PATTERN,
  ID_RULE,
  MonetaryAmount,
  REVIEW_REJECTION_REASONS,
  ReviewRejectionReason,
  SLUG_PATTERN,
  SLUG_RULE,
} from '@oversight/contracts';

export class ApproveRequest {
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

export class RejectRequest {
  @IsIn(REVIEW_REJECTION_REASONS)
  reasonCode!: ReviewRejectionReason;

  /** Required: a rejection must say why in words a colleague can act on. */
  @IsString()
  @Length(1, 2000)
  comment!: string;
}

export class EditRequest {
  /** The action's parameters as they should be executed (replaces the proposed ones). */
  @IsObject()
  parameters!: Record<string, unknown>;

  @IsOptional()
  @ValidateNested()
  @Type(() => MonetaryAmount)
  amount?: MonetaryAmount;

  /** What was changed and why. */
  @IsString()
  @Length(1, 2000)
  comment!: string;
}

export class CommentRequest {
  @IsString()
  @Length(1, 2000)
  text!: string;
}

export class EscalateRequest {
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

export class ReassignRequest {
  @Matches(ID_PATTERN, { message: `assignee ${ID_RULE}` })
  assignee!: string;
}

export class QueueQueryParams {
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: `function ${SLUG_RULE}` })
  function?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class DelegationRequestBody {
  @Matches(ID_PATTERN, { message: `delegate ${ID_RULE}` })
  delegate!: string;

  /** The review roles to delegate; every review role the caller holds when absent. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(SLUG_PATTERN, { each: true, message: `each role ${SLUG_RULE}` })
  roles?: string[];

  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @IsISO8601({ strict: true })
  until!: string;

  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class RevocationBody {
  @IsString()
  @Length(1, 500)
  reason!: string;
}

/** Acting under a delegation: the person the caller acts for (their delegation to the caller must be active). */
export class OnBehalfQuery {
  @IsOptional()
  @Matches(ID_PATTERN, { message: `onBehalfOf ${ID_RULE}` })
  onBehalfOf?: string;
}
