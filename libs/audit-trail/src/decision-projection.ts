import { PlatformEvent } from '@oversight/contracts';

/** One decision at a glance, folded from its audit records. */
export interface DecisionProjection {
  /** The decisionId. */
  _id: string;
  /** How many events the audit trail holds for it. */
  seq: number;
  state?: string;
  businessFunction?: string;
  actionType?: string;
  agentId?: string;
  modelVersion?: string;
  requesterId?: string;
  amount?: number;
  currency?: string;
  confidence?: number;
  score?: number;
  tier?: string;
  route?: string;
  policyId?: string;
  policyVersion?: number;
  sampledForAudit?: boolean;
  /** Why routing sent it where it went. */
  routingReasons?: string[];
  eligibleRoles?: string[];
  reviewDueAt?: Date;
  proposedAt?: Date;
  scoredAt?: Date;
  routedAt?: Date;
  /** After a review: how it ended (human, or the policy's default on timeout), who decided, and why not. */
  decisionMode?: string;
  decidedBy?: string[];
  rejectionReason?: string;
  escalationLevel?: number;
  decidedAt?: Date;
  /** The executor's reports: how many tries, the last error, and when it was carried out. */
  executionAttempts?: number;
  executor?: string;
  lastExecutionError?: string;
  executedAt?: Date;
  /** After a failure for good: who asked for a corrected try, or who gave up on the action and why. */
  retryRequestedBy?: string;
  abandonedBy?: string;
  abandonReason?: string;
  /** The new decision a riskier correction was proposed as. */
  resubmittedAs?: string;
  /** Undoing what ran on its own: who asked, when it was undone, or why it could not be. */
  reversalRequestedBy?: string;
  reversedAt?: Date;
  reversalError?: string;
}

/** Folds a decision's events, in chain order, into its projection. */
export function projectDecision(decisionId: string, events: PlatformEvent[]): DecisionProjection {
  const projection: DecisionProjection = { _id: decisionId, seq: events.length };
  for (const event of events) applyToProjection(projection, event);
  return projection;
}

/** How far along a decision is; events from different topics may arrive out of order, so never step back. */
const STATE_RANK: Record<string, number> = {
  proposed: 1,
  scored: 2,
  approved: 3,
  'awaiting-review': 3,
  blocked: 3,
  // A review's end comes after the request for it.
  'review-approved': 4,
  rejected: 4,
  // What the executor reports comes after the approval; a later success outranks an earlier failed try.
  'execution-failed': 5,
  executed: 6,
  // How a failure handed to people ended: a corrected try carried out, or given up.
  resolved: 7,
  abandoned: 7,
  // A supervisor undid what ran.
  reversed: 8,
};

function advance(projection: Partial<DecisionProjection>, state: string) {
  if ((STATE_RANK[projection.state ?? ''] ?? 0) < STATE_RANK[state]) projection.state = state;
}

/** Folds one event into a decision's projection (the current state at a glance). */
function applyToProjection(projection: Partial<DecisionProjection>, event: PlatformEvent): void {
  switch (event.type) {
    case 'DecisionProposed': {
      const p = event.payload;
      Object.assign(projection, {
        businessFunction: p.businessFunction,
        actionType: p.actionType,
        agentId: p.agent.id,
        modelVersion: p.agent.modelVersion,
        requesterId: p.requester.id,
        amount: p.amount?.value,
        currency: p.amount?.currency,
        confidence: p.confidence,
        proposedAt: new Date(event.occurredAt),
      });
      advance(projection, 'proposed');
      return;
    }
    case 'DecisionScored': {
      const p = event.payload;
      Object.assign(projection, {
        score: p.score,
        tier: p.tier,
        policyId: p.rule.policyId,
        policyVersion: p.rule.policyVersion,
        scoredAt: new Date(event.occurredAt),
      });
      projection.businessFunction ??= p.proposal.businessFunction;
      projection.actionType ??= p.proposal.actionType;
      projection.proposedAt ??= new Date(event.occurredAt);
      advance(projection, 'scored');
      return;
    }
    case 'ActionApproved':
      if (event.payload.mode === 'auto') {
        Object.assign(projection, routed(event), { route: 'auto' });
        advance(projection, 'approved');
        return;
      }
      Object.assign(projection, {
        score: event.payload.score,
        tier: event.payload.tier,
        decisionMode: event.payload.mode,
        decidedBy: (event.payload.approvers ?? []).map((approver) => approver.id),
        decidedAt: new Date(event.occurredAt),
      });
      advance(projection, 'review-approved');
      return;
    case 'DecisionRejected':
      Object.assign(projection, {
        decisionMode: event.payload.mode,
        decidedBy: event.payload.rejectedBy.map((rejecter) => rejecter.id),
        rejectionReason: event.payload.reasonCode,
        decidedAt: new Date(event.occurredAt),
      });
      advance(projection, 'rejected');
      return;
    case 'ReviewActivity':
      if (event.payload.escalation) projection.escalationLevel = event.payload.escalation.level;
      return;
    case 'ReviewRequested':
      if (event.payload.kind === 'post-hoc-sample') {
        projection.sampledForAudit = true;
        return;
      }
      Object.assign(projection, routed(event), {
        route: 'review',
        eligibleRoles: event.payload.eligibleRoles,
        reviewDueAt: new Date(event.payload.dueAt),
      });
      advance(projection, 'awaiting-review');
      return;
    case 'DecisionBlocked':
      Object.assign(projection, routed(event), { route: 'block' });
      advance(projection, 'blocked');
      return;
    case 'ActionExecuted':
      Object.assign(projection, {
        executor: event.payload.executor,
        executionAttempts: Math.max(projection.executionAttempts ?? 0, event.payload.attempt),
        executedAt: new Date(event.occurredAt),
      });
      advance(projection, projection.retryRequestedBy ? 'resolved' : 'executed');
      return;
    case 'ActionFailed':
      Object.assign(projection, {
        executor: event.payload.executor,
        executionAttempts: Math.max(projection.executionAttempts ?? 0, event.payload.attempt),
        lastExecutionError: event.payload.error.code ?? event.payload.error.message,
      });
      advance(projection, 'execution-failed');
      return;
    case 'ExecutionRetryRequested':
      projection.retryRequestedBy = event.payload.requestedBy.id;
      // The corrected try's success can be read first: the trail orders events as the audit read them, and
      // the request and the success arrive on two topics.
      if (projection.state === 'executed') advance(projection, 'resolved');
      return;
    case 'ReversalRequested':
      projection.reversalRequestedBy = event.payload.requestedBy.id;
      return;
    case 'ActionReversed':
      projection.reversedAt = new Date(event.occurredAt);
      advance(projection, 'reversed');
      return;
    case 'ReversalFailed':
      projection.reversalError = event.payload.error.code ?? event.payload.error.message;
      return;
    case 'ActionAbandoned':
      Object.assign(projection, {
        abandonedBy: event.payload.abandonedBy.id,
        abandonReason: event.payload.reasonCode,
        ...(event.payload.resubmittedAs ? { resubmittedAs: event.payload.resubmittedAs } : {}),
      });
      advance(projection, 'abandoned');
      return;
    default:
      return;
  }
}

function routed(
  event: PlatformEvent<'ActionApproved' | 'ReviewRequested' | 'DecisionBlocked'>,
): Partial<DecisionProjection> {
  const p = event.payload;
  return {
    score: p.score,
    tier: p.tier,
    policyId: p.policy.policyId,
    policyVersion: p.policy.policyVersion,
    routingReasons: p.routingReasons,
    businessFunction: p.proposal.businessFunction,
    actionType: p.proposal.actionType,
    routedAt: new Date(event.occurredAt),
  };
}
