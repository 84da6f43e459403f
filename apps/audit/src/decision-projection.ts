import { PlatformEvent } from '@oversight/contracts';
import { AuditChain } from './audit-chain.schema';

/** How far along a decision is; events from different topics may arrive out of order, so never step back. */
const STATE_RANK: Record<string, number> = {
  proposed: 1,
  scored: 2,
  approved: 3,
  'awaiting-review': 3,
  blocked: 3,
};

function advance(projection: Partial<AuditChain>, state: string) {
  if ((STATE_RANK[projection.state ?? ''] ?? 0) < STATE_RANK[state]) projection.state = state;
}

/** Folds one event into a decision's projection (the current state at a glance). */
export function applyToProjection(projection: Partial<AuditChain>, event: PlatformEvent): void {
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
      Object.assign(projection, routed(event), { route: 'auto' });
      advance(projection, 'approved');
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
    default:
      return;
  }
}

function routed(
  event: PlatformEvent<'ActionApproved' | 'ReviewRequested' | 'DecisionBlocked'>,
): Partial<AuditChain> {
  const p = event.payload;
  return {
    score: p.score,
    tier: p.tier,
    policyId: p.policy.policyId,
    policyVersion: p.policy.policyVersion,
    businessFunction: p.proposal.businessFunction,
    actionType: p.proposal.actionType,
    routedAt: new Date(event.occurredAt),
  };
}
