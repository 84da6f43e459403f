import { Inject, Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ApprovalMode, PlatformEvent, ReviewKind, Route, Tier, Topic } from '@oversight/contracts';
import { KAFKA } from '@oversight/messaging-nest';
import { LiveFeed } from './live-feed';

export const DECISION_OUTCOME_TOPICS = [
  Topic.ActionApproved,
  Topic.ReviewRequested,
  Topic.DecisionBlocked,
] as const;

type OutcomeEvent = PlatformEvent<'ActionApproved' | 'ReviewRequested' | 'DecisionBlocked'>;

/** One outcome as an on-the-loop screen shows it (`event: decision` of `GET /v1/decision-events`). */
export interface DecisionOutcome {
  decisionId: string;
  type: OutcomeEvent['type'];
  occurredAt: string;
  businessFunction?: string;
  actionType?: string;
  tier?: Tier;
  score?: number;
  amount?: number;
  currency?: string;
  /** How the policy routed the decision (as the audit projection's `route`). */
  route: Route;
  /** ActionApproved only: auto, or how a review ended (human, timeout-default). */
  mode?: ApprovalMode;
  /** ReviewRequested only. */
  kind?: ReviewKind;
  /** Picked for an after-the-fact review of an action that already ran on its own. */
  sampled: boolean;
  /** Why routing sent it where it went. */
  reasons?: string[];
}

/**
 * The route is the one the policy chose, which is what the audit projection stores too: an approval after a
 * review (mode human or timeout-default) was routed to review, and a post-hoc sample is a review request about
 * an action that was routed auto and has already run, so it says auto and sampled. Such a decision is seen
 * twice: its ActionApproved (sampled false, the sample is not drawn yet as far as that event knows), then the
 * sample.
 */
export function toDecisionOutcome(event: OutcomeEvent): DecisionOutcome {
  const p = event.payload;
  const common = {
    decisionId: event.decisionId,
    type: event.type,
    occurredAt: event.occurredAt,
    businessFunction: p.proposal.businessFunction,
    actionType: p.proposal.actionType,
    tier: p.tier,
    score: p.score,
    ...(p.proposal.amount ? { amount: p.proposal.amount.value, currency: p.proposal.amount.currency } : {}),
    reasons: p.routingReasons,
  };
  switch (event.type) {
    case 'ActionApproved':
      return {
        ...common,
        route: event.payload.mode === 'auto' ? 'auto' : 'review',
        mode: event.payload.mode,
        sampled: false,
      };
    case 'ReviewRequested': {
      const sample = event.payload.kind === 'post-hoc-sample';
      return { ...common, route: sample ? 'auto' : 'review', kind: event.payload.kind, sampled: sample };
    }
    case 'DecisionBlocked':
      return { ...common, route: 'block', sampled: false };
  }
}

/** Routed outcomes as they happen, for supervisors on the loop (`GET /v1/decision-events`). */
@Injectable()
export class DecisionFeed extends LiveFeed<(typeof DECISION_OUTCOME_TOPICS)[number], DecisionOutcome> {
  constructor(@Inject(KAFKA) kafka: Kafka) {
    super(kafka, { name: 'decision-feed', topics: DECISION_OUTCOME_TOPICS, toItem: toDecisionOutcome });
  }
}
