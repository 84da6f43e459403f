import { DecisionProposed, RiskReason } from '@oversight/contracts';
import { ActionRule, resolveActionRule } from './action-rule';
import { PolicyDocument, Tier, TierThresholds } from './policy-document';

export interface RiskAssessment {
  score: number;
  tier: Tier;
  reasons: RiskReason[];
  /** The policy rule the assessment used, carried on so routing applies exactly the same version. */
  rule: ActionRule;
}

export function tierFor(score: number, tiers: TierThresholds): Tier {
  if (score >= tiers.critical) return 'critical';
  if (score >= tiers.high) return 'high';
  if (score >= tiers.medium) return 'medium';
  return 'low';
}

/**
 * Scores a proposed action against the policy: points for the action's sensitivity, the amount band it falls
 * in, low model confidence, how hard it is to undo, and parameter flags, capped at 100. Pure: the same
 * proposal and policy always give the same assessment.
 */
export function assessRisk(proposal: DecisionProposed, policy: PolicyDocument): RiskAssessment {
  const { businessFunction, actionType, amount, confidence, reversibility, parameters } = proposal;
  const rule = resolveActionRule(policy, businessFunction, actionType);
  const action = `${businessFunction}/${actionType}`;
  const reasons: RiskReason[] = [];

  if (rule.source === 'policy-defaults') {
    reasons.push({
      code: 'unnamed-action',
      points: 0,
      detail: `the policy has no rule for ${action}; its conservative defaults apply`,
      values: { businessFunction, actionType },
    });
  }

  reasons.push({
    code: 'sensitivity',
    points: policy.sensitivityRisk[rule.sensitivity],
    detail: `${action} is a ${rule.sensitivity}-sensitivity action`,
    values: { sensitivity: rule.sensitivity },
  });

  if (amount && amount.currency !== rule.currency) {
    reasons.push({
      code: 'foreign-currency',
      points: policy.foreignCurrencyRisk,
      detail: `amount is in ${amount.currency}; the policy's bands are in ${rule.currency}`,
      values: { amount: amount.value, currency: amount.currency },
    });
  } else if (amount) {
    const band = rule.amountBands.filter((b) => amount.value >= b.from).sort((a, b) => b.from - a.from)[0];
    if (band) {
      reasons.push({
        code: 'amount',
        points: band.risk,
        detail: `amount ${amount.value} ${amount.currency} is at least ${band.from}`,
        values: { amount: amount.value, currency: amount.currency, threshold: band.from },
      });
    }
  } else if (rule.requiresAmount) {
    reasons.push({
      code: 'missing-amount',
      points: policy.missingAmountRisk,
      detail: `${action} moves money but the proposal states no amount`,
      values: {},
    });
  }

  const confidenceBand = rule.confidenceBands
    .filter((b) => confidence < b.below)
    .sort((a, b) => a.below - b.below)[0];
  if (confidenceBand) {
    reasons.push({
      code: 'low-confidence',
      points: confidenceBand.risk,
      detail: `model confidence ${confidence} is below ${confidenceBand.below}`,
      values: { confidence, threshold: confidenceBand.below },
    });
  }

  const reversibilityPoints = policy.reversibilityRisk[reversibility];
  if (reversibilityPoints > 0) {
    reasons.push({
      code: 'reversibility',
      points: reversibilityPoints,
      detail: `the action is ${reversibility}`,
      values: { reversibility },
    });
  }

  for (const flag of rule.flags) {
    const value = parameters[flag.parameter];
    const fires =
      (flag.equals !== undefined && value === flag.equals) ||
      (flag.equalsText !== undefined && value === flag.equalsText);
    if (fires) {
      reasons.push({
        code: 'parameter-flag',
        points: flag.risk,
        detail: flag.reason,
        values: { parameter: flag.parameter, value: value as string | boolean },
      });
    }
  }

  const score = Math.min(
    100,
    reasons.reduce((sum, reason) => sum + reason.points, 0),
  );
  return { score, tier: tierFor(score, policy.tiers), reasons, rule };
}
