import { Type } from 'class-transformer';
import {
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
