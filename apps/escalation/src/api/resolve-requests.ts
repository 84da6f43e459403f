import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { ABANDON_REASONS, AbandonReason, MonetaryAmount } from '@oversight/contracts';

export class RetryRequest {
  /** The action's parameters as they should be tried (replaces the failed ones); the failed ones when absent. */
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @IsOptional()
  @ValidateNested()
  @Type(() => MonetaryAmount)
  amount?: MonetaryAmount;

  /** What was corrected, or checked, and why trying again is right. */
  @IsString()
  @Length(1, 2000)
  comment!: string;
}

export class AbandonRequest {
  @IsIn(ABANDON_REASONS.filter((reason) => reason !== 'resubmitted-for-review'))
  reasonCode!: Exclude<AbandonReason, 'resubmitted-for-review'>;

  @IsString()
  @Length(1, 2000)
  comment!: string;
}
