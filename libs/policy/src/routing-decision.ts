import { createHash } from 'node:crypto';
import {
  AppliedRule,
  EscalationStep,
  MonetaryAmount,
  RejectionRule,
  Tier,
  TimeoutAction,
} from '@oversight/contracts';

/** A stop-button halt in force for the decision's function (or for everything). */
export interface ActiveHalt {
  scope: string;
  reason: string;
}

export interface RoutingInput {
  decisionId: string;
  businessFunction: string;
  actionType: string;
  amount?: MonetaryAmount;
  /** Who asked for the action, the agent's owner and the subject, when a person: never its approvers. */
  requesterId: string;
  agentOwnerId?: string;
  subjectId?: string;
  tier: Tier;
  rule: AppliedRule;
  halt?: ActiveHalt;
}

/** Who must approve a decision held for review, and how fast. */
export interface ReviewPlan {
  approvals: number;
  eligibleRoles: string[];
  excludedApprovers: string[];
  slaMinutes: number;
  escalation: EscalationStep[];
  onTimeout: TimeoutAction;
  rejectWhen: RejectionRule;
  /** Critical tier only: one approver must hold it. */
  seniorRole?: string;
}

export type RoutingOutcome =
  | { route: 'auto'; reasons: string[]; postHocSample: boolean }
  | { route: 'review'; reasons: string[]; review: ReviewPlan }
  | { route: 'block'; reasons: string[] };

/**
 * A number in [0, 1) fixed by the decision id, so sampling a decision for after-the-fact audit gives the same
 * answer however often the decision is redelivered.
 */
export function sampleDraw(decisionId: string): number {
  return createHash('sha256').update(decisionId).digest().readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Decides what happens to a scored decision: runs on its own, waits for people, or is blocked. The policy's
 * route for the tier is the starting point; a halt turns auto into review; a review no role has the authority
 * to approve becomes a block. Pure: no clock, no randomness beyond the decision id.
 */
export function decideRoute(input: RoutingInput): RoutingOutcome {
  const { rule, tier } = input;
  const action = `${input.businessFunction}/${input.actionType}`;
  const policyRoute = rule.routes[tier];
  const reasons = [
    `policy ${rule.policyId} v${rule.policyVersion} routes ${tier}-tier ${action} to ${policyRoute}`,
  ];

  if (policyRoute === 'block') return { route: 'block', reasons };

  if (policyRoute === 'auto') {
    if (!input.halt) {
      const postHocSample = sampleDraw(input.decisionId) < rule.auditSampleRate;
      if (postHocSample) reasons.push(`sampled for after-the-fact review (rate ${rule.auditSampleRate})`);
      return { route: 'auto', reasons, postHocSample };
    }
    reasons.push(`auto-execution is halted (${input.halt.scope}): ${input.halt.reason}`);
  }

  const { roles, reason: authorityReason } = rolesWithAuthority(
    rule.review.roles,
    rule.authority,
    rule.currency,
    input.amount,
  );
  if (authorityReason) reasons.push(authorityReason);
  if (roles.length === 0) return { route: 'block', reasons };

  return {
    route: 'review',
    reasons,
    review: {
      approvals: Math.max(rule.review.approvals, rule.review.approvalsByTier?.[tier] ?? 0),
      eligibleRoles: roles,
      excludedApprovers: excludedApprovers(input),
      slaMinutes: rule.review.slaMinutes,
      escalation: rule.review.escalation,
      onTimeout: rule.review.onTimeout,
      rejectWhen: rule.review.rejectWhen ?? 'first',
      ...(tier === 'critical' && rule.review.seniorRole ? { seniorRole: rule.review.seniorRole } : {}),
    },
  };
}

function roleLimits(roles: string[], authority: Record<string, number>): Record<string, number> {
  return Object.fromEntries(roles.map((role) => [role, authority[role] ?? 0]));
}

/** Segregation of duties: whoever asked, owns the agent, or is the action's subject never approves it. */
export function excludedApprovers(
  input: Pick<RoutingInput, 'requesterId' | 'agentOwnerId' | 'subjectId'>,
): string[] {
  const people = [input.requesterId, input.agentOwnerId, input.subjectId].filter(
    (id): id is string => typeof id === 'string',
  );
  return [...new Set(people)];
}

/**
 * The roles allowed to approve this amount, given each role's limit in the policy's currency; every role when
 * no money moves.
 */
export function rolesWithAuthority(
  roles: string[],
  authority: Record<string, number>,
  currency: string,
  amount?: MonetaryAmount,
): { roles: string[]; reason?: string } {
  const rule = { authority: roleLimits(roles, authority), currency };
  if (!amount) return { roles };
  if (amount.currency !== rule.currency) {
    // Limits are in the policy's currency and cannot be compared: only the most senior roles may approve.
    const top = Math.max(...roles.map((role) => rule.authority[role]));
    return {
      roles: roles.filter((role) => rule.authority[role] === top),
      reason: `amount in ${amount.currency}, limits in ${rule.currency}: only the roles with the highest limit may approve`,
    };
  }
  const allowed = roles.filter((role) => rule.authority[role] >= amount.value);
  if (allowed.length === 0) {
    return {
      roles: [],
      reason: `no review role may approve ${amount.value} ${amount.currency} (${roles.map((r) => `${r} up to ${rule.authority[r]}`).join(', ')})`,
    };
  }
  if (allowed.length < roles.length) {
    const below = roles.filter((role) => !allowed.includes(role));
    return {
      roles: allowed,
      reason: `${below.join(', ')} may not approve ${amount.value} ${amount.currency}`,
    };
  }
  return { roles: allowed };
}
