import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN, ID_RULE, SLUG_PATTERN, SLUG_RULE } from '../envelope';

/**
 * What the regression suites said about a policy before it was published: how many suites and cases ran, how
 * many cases it changes, and, when it changes any, who confirmed publishing it anyway and why.
 */
export class RegressionCheck {
  @IsInt()
  @Min(0)
  suites!: number;

  @IsInt()
  @Min(0)
  cases!: number;

  @IsInt()
  @Min(0)
  changed!: number;

  @IsOptional()
  @Matches(ID_PATTERN, { message: `confirmedBy ${ID_RULE}` })
  confirmedBy?: string;

  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

/**
 * A new version of a deployment's policy. The document is checked against the policy rules by @oversight/policy
 * before it is published and again by every service that loads it.
 */
export class PolicyPublished {
  @Matches(SLUG_PATTERN, { message: `policyId ${SLUG_RULE}` })
  policyId!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @IsObject()
  document!: Record<string, unknown>;

  @Matches(ID_PATTERN, { message: `publishedBy ${ID_RULE}` })
  publishedBy!: string;

  /** Absent on policies published without a suite check (and on every event from before suites existed). */
  @IsOptional()
  @ValidateNested()
  @Type(() => RegressionCheck)
  regression?: RegressionCheck;
}

/** The scope a halt applies to: one business function, or every function (`*`). */
export const ALL_FUNCTIONS = '*';

/** The stop button: while a scope is halted nothing in it is auto-approved; it goes to review instead. */
export class HaltChanged {
  @Matches(new RegExp(`^(\\*|${SLUG_PATTERN.source.slice(1, -1)})$`), {
    message: `scope must be * or a business function (${SLUG_RULE})`,
  })
  scope!: string;

  @IsBoolean()
  halted!: boolean;

  @IsString()
  @Length(1, 500)
  reason!: string;

  @Matches(ID_PATTERN, { message: `changedBy ${ID_RULE}` })
  changedBy!: string;
}
