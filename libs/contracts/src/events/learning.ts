import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN, ID_RULE, SLUG_PATTERN, SLUG_RULE } from '../envelope';

/** One side of a drift comparison: how many labels it holds and how often people overrode the AI in them. */
export class DriftWindow {
  @IsInt()
  @Min(0)
  labels!: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  overrideRate?: number;
}

/**
 * A function's AI has moved beyond the bounds its policy sets: people override it more often than in the
 * baseline, or its confidence distribution shifted (population stability index). One event per episode; the
 * episode stays open until a person clears it.
 */
export class DriftDetected {
  @Matches(SLUG_PATTERN, { message: `businessFunction ${SLUG_RULE}` })
  businessFunction!: string;

  /** 1 for the function's first episode; a new one starts only after the last was cleared. */
  @IsInt()
  @Min(1)
  episode!: number;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  reasons!: string[];

  @ValidateNested()
  @Type(() => DriftWindow)
  baseline!: DriftWindow;

  @ValidateNested()
  @Type(() => DriftWindow)
  current!: DriftWindow;

  /** Population stability index of the decisions' confidence, current window against baseline. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  psi?: number;

  /** The model versions seen in the current window. */
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  modelVersions!: string[];

  /** The policy said to send the function to review until a person clears the episode, and that was done. */
  @IsBoolean()
  tightened!: boolean;

  /** The policy version whose bounds were crossed. */
  @Matches(SLUG_PATTERN, { message: `policyId ${SLUG_RULE}` })
  policyId!: string;

  @IsInt()
  @Min(1)
  policyVersion!: number;
}

/** A person looked at a drift episode and cleared it: routing returns to the policy, a new baseline starts. */
export class DriftCleared {
  @Matches(SLUG_PATTERN, { message: `businessFunction ${SLUG_RULE}` })
  businessFunction!: string;

  @IsInt()
  @Min(1)
  episode!: number;

  @Matches(ID_PATTERN, { message: `clearedBy ${ID_RULE}` })
  clearedBy!: string;

  @IsString()
  @Length(1, 500)
  reason!: string;
}

/**
 * The `changedBy` of the halt the learning service presses when a drifting function's policy says to tighten
 * routing: clearing the episode lifts exactly that halt, never one a person pressed.
 */
export const DRIFT_HALT_BY = 'learning';
