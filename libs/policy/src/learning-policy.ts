import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';

/** A rate of 0..1. */
function Rate(): PropertyDecorator {
  return (target, key) => {
    for (const rule of [IsNumber({ allowNaN: false, allowInfinity: false }), Min(0), Max(1)])
      rule(target, key as string);
  };
}

/**
 * When a function's AI counts as drifting: its latest `windowLabels` human answers against the
 * `baselineLabels` before them (and the same counts of routed decisions for the confidence distribution).
 * Any bound crossed raises one DriftDetected, which stays open until a person clears it.
 */
export class DriftBounds {
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(10000)
  windowLabels?: number;

  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(100000)
  baselineLabels?: number;

  /** The override rate may rise at most this much over the baseline's (absolute, e.g. 0.15 = 15 points). */
  @IsOptional()
  @Rate()
  overrideRateIncrease?: number;

  /** Population stability index of the confidence distribution; 0.25 is the usual "major shift". */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(10)
  psi?: number;

  /**
   * How unlikely, were nothing changed, a crossing must be to raise drift (a p-value bound per check). Every
   * round checks sliding windows again, so over a long run a steady model is tested thousands of times: the
   * level must be far below the usual 0.05, and above 0.01 a steady model would be halted now and then.
   */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1e-12, { message: 'significance must be a probability of at least 1e-12' })
  @Max(0.01, {
    message: 'significance must be at most 0.01: the check runs every round, so its level is per check',
  })
  significance?: number;

  /** Fewest answers in either window; a window set smaller is read at this size. */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(10000)
  minLabels?: number;

  /**
   * Fewest routed decisions in either window of the confidence check; a window set smaller is read at this
   * size (decisions outnumber answers, and the index is noisy on a few dozen).
   */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(100000)
  minDecisions?: number;

  /** Send the function to review (as the stop button does) until a person clears the episode. */
  @IsOptional()
  @IsBoolean()
  tightenRouting?: boolean;
}

/** What the learning loop holds the AI of a function to. Per function over the policy's. */
export class LearningPolicy {
  /** The override rate auto decisions should stay under; threshold suggestions aim at it. */
  @IsOptional()
  @Rate()
  targetOverrideRate?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => DriftBounds)
  drift?: DriftBounds;
}

/** The learning settings of a function, with every gap filled. */
export interface ResolvedLearningPolicy {
  targetOverrideRate: number;
  drift: Required<Omit<DriftBounds, 'overrideRateIncrease' | 'psi'>> &
    Pick<DriftBounds, 'overrideRateIncrease' | 'psi'>;
}

/** What applies when a policy says nothing: watch, alert on clear shifts, never tighten on its own. */
export const LEARNING_DEFAULTS: ResolvedLearningPolicy = {
  targetOverrideRate: 0.05,
  drift: {
    windowLabels: 50,
    baselineLabels: 200,
    overrideRateIncrease: 0.15,
    psi: 0.25,
    // From a seeded stationary stream like the demo's, checked after every item: 100 streams of 10,000 saw no
    // p-value under 2e-6, and 3 of them would have fired at 1e-5 (libs/learning drift-detection.spec.ts).
    significance: 1e-6,
    minLabels: 20,
    minDecisions: 200,
    tightenRouting: false,
  },
};

/** The function's learning settings over the policy's over LEARNING_DEFAULTS. */
export function resolveLearningPolicy(
  policy: { learning?: LearningPolicy; functions: Record<string, { learning?: LearningPolicy }> },
  businessFunction: string,
): ResolvedLearningPolicy {
  const fn = Object.prototype.hasOwnProperty.call(policy.functions, businessFunction)
    ? policy.functions[businessFunction].learning
    : undefined;
  const layers = [policy.learning ?? {}, fn ?? {}];
  return {
    targetOverrideRate: layers.reduce(
      (value, layer) => layer.targetOverrideRate ?? value,
      LEARNING_DEFAULTS.targetOverrideRate,
    ),
    drift: Object.assign(
      {},
      LEARNING_DEFAULTS.drift,
      ...layers.map((layer) =>
        Object.fromEntries(Object.entries(layer.drift ?? {}).filter(([, value]) => value !== undefined)),
      ),
    ),
  };
}
