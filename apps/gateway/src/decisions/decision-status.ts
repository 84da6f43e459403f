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

const text = { type: 'string' };
const count = { type: 'integer', minimum: 0 };
const instant = { type: 'string', format: 'date-time' };

/** DecisionStatus as JSON (its dates as ISO 8601), for the OpenAPI document. */
export const DECISION_STATUS_SCHEMA = {
  type: 'object',
  required: ['decisionId', 'status', 'events', 'proposal'],
  properties: {
    decisionId: text,
    status: text,
    events: count,
    proposal: {
      type: 'object',
      properties: {
        businessFunction: text,
        actionType: text,
        agentId: text,
        modelVersion: text,
        requesterId: text,
        amount: {
          type: 'object',
          required: ['value'],
          properties: { value: { type: 'number' }, currency: text },
        },
        confidence: { type: 'number', minimum: 0, maximum: 1 },
        proposedAt: instant,
      },
    },
    risk: { type: 'object', properties: { score: { type: 'number' }, tier: text, scoredAt: instant } },
    outcome: {
      type: 'object',
      required: ['policy', 'sampledForAudit'],
      properties: {
        route: text,
        reasons: { type: 'array', items: text },
        policy: { type: 'object', properties: { policyId: text, policyVersion: count } },
        review: {
          type: 'object',
          properties: { eligibleRoles: { type: 'array', items: text }, dueAt: instant },
        },
        sampledForAudit: { type: 'boolean' },
        routedAt: instant,
      },
    },
    decision: {
      type: 'object',
      properties: {
        mode: text,
        decidedBy: { type: 'array', items: text },
        rejectionReason: text,
        escalationLevel: count,
        decidedAt: instant,
      },
    },
    execution: {
      type: 'object',
      properties: {
        executor: text,
        attempts: count,
        lastError: text,
        executedAt: instant,
        retryRequestedBy: text,
        abandonedBy: text,
        abandonReason: text,
        resubmittedAs: text,
        reversalRequestedBy: text,
        reversedAt: instant,
        reversalError: text,
      },
    },
  },
};

/** A page of GET /v1/decisions. */
export const DECISION_PAGE_SCHEMA = {
  type: 'object',
  required: ['decisions'],
  properties: { decisions: { type: 'array', items: DECISION_STATUS_SCHEMA }, next: text },
};
