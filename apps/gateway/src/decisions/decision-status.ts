import { DecisionProjection } from '@oversight/audit-trail';

/** A decision as `GET /v1/decisions/:decisionId` shows it: where it is, and its outcome once routed. */
export interface DecisionStatus {
  decisionId: string;
  /**
   * proposed → scored → approved (auto) | awaiting-review | blocked; after a review review-approved | rejected;
   * once its executor reported, executed | execution-failed; after a failure for good, resolved (a person's
   * corrected try carried out) | abandoned; reversed when a supervisor undid what ran on its own.
   */
  status: string;
  /** How many events the audit trail holds for it. */
  events: number;
  proposal: {
    businessFunction?: string;
    actionType?: string;
    agentId?: string;
    modelVersion?: string;
    requesterId?: string;
    amount?: { value: number; currency?: string };
    confidence?: number;
    proposedAt?: Date;
  };
  risk?: { score?: number; tier?: string; scoredAt?: Date };
  outcome?: {
    route?: string;
    reasons?: string[];
    policy: { policyId?: string; policyVersion?: number };
    review?: { eligibleRoles?: string[]; dueAt?: Date };
    sampledForAudit: boolean;
    routedAt?: Date;
  };
  /** How a review ended: by people (human) or by the policy's default when nobody decided in time. */
  decision?: {
    mode?: string;
    decidedBy?: string[];
    rejectionReason?: string;
    escalationLevel?: number;
    decidedAt?: Date;
  };
  /** What its executor reported, and how people settled a failure: a corrected try, or giving up. */
  execution?: {
    executor?: string;
    attempts?: number;
    lastError?: string;
    executedAt?: Date;
    retryRequestedBy?: string;
    abandonedBy?: string;
    abandonReason?: string;
    resubmittedAs?: string;
    reversalRequestedBy?: string;
    reversedAt?: Date;
    reversalError?: string;
  };
}

export function toDecisionStatus(projection: DecisionProjection): DecisionStatus {
  const p = projection;
  return {
    decisionId: p._id,
    status: p.state ?? 'unknown',
    events: p.seq,
    proposal: {
      businessFunction: p.businessFunction,
      actionType: p.actionType,
      agentId: p.agentId,
      modelVersion: p.modelVersion,
      requesterId: p.requesterId,
      ...(p.amount !== undefined ? { amount: { value: p.amount, currency: p.currency } } : {}),
      confidence: p.confidence,
      proposedAt: p.proposedAt,
    },
    ...(p.score !== undefined || p.tier !== undefined
      ? { risk: { score: p.score, tier: p.tier, scoredAt: p.scoredAt } }
      : {}),
    ...(p.route
      ? {
          outcome: {
            route: p.route,
            reasons: p.routingReasons,
            policy: { policyId: p.policyId, policyVersion: p.policyVersion },
            ...(p.route === 'review'
              ? { review: { eligibleRoles: p.eligibleRoles, dueAt: p.reviewDueAt } }
              : {}),
            sampledForAudit: p.sampledForAudit ?? false,
            routedAt: p.routedAt,
          },
        }
      : {}),
    ...(p.decisionMode
      ? {
          decision: {
            mode: p.decisionMode,
            decidedBy: p.decidedBy,
            rejectionReason: p.rejectionReason,
            escalationLevel: p.escalationLevel,
            decidedAt: p.decidedAt,
          },
        }
      : {}),
    ...(p.executionAttempts
      ? {
          execution: {
            executor: p.executor,
            attempts: p.executionAttempts,
            lastError: p.lastExecutionError,
            executedAt: p.executedAt,
            retryRequestedBy: p.retryRequestedBy,
            abandonedBy: p.abandonedBy,
            abandonReason: p.abandonReason,
            resubmittedAs: p.resubmittedAs,
            reversalRequestedBy: p.reversalRequestedBy,
            reversedAt: p.reversedAt,
            reversalError: p.reversalError,
          },
        }
      : {}),
  };
}
