import { DecisionProposed, MonetaryAmount, PlatformEvent } from '@oversight/contracts';
import { DecisionObservation } from './decision-observation';
import { Verdict } from './oversight-tally';

/** Where a label came from: a review's answer, a reversal of what ran on its own, a failed action's correction. */
export const LABEL_SOURCES = ['review', 'reversal', 'resolution'] as const;
export type LabelSource = (typeof LABEL_SOURCES)[number];

/** One human outcome recorded against the AI's proposal. */
export interface Label {
  decisionId: string;
  modelId: string;
  modelVersion: string;
  businessFunction: string;
  actionType: string;
  /** The model's confidence in its proposal, 0..1. */
  confidence: number;
  /** The money the proposal moves, when it moves any. */
  amount?: MonetaryAmount;
  verdict: Verdict;
  source: LabelSource;
  /** When the person answered. */
  answeredAt: string;
  /** Edited labels: the fields the person changed. */
  edits?: string[];
  /** Review answers: minutes from the review request to the answer, and whether that was inside the SLA. */
  latencyMinutes?: number;
  withinSla?: boolean;
}

/** What the store knows of the decision when its answer arrives (see DecisionObservation). */
export interface LabelContext {
  /** Fields reviewers edited before this approval (from ReviewActivity `edited`); none: approved as proposed. */
  edits?: string[];
  /** The review request's time and SLA end, for the reviewer's latency. */
  review?: { requestedAt: string; dueAt?: string };
}

/**
 * The label a human outcome puts on the AI's proposal, or undefined for events that are not a person's answer
 * to it (automatic approvals, timeouts, abandoning a failed action, retrying it unchanged).
 */
export function labelFrom(event: PlatformEvent, context: LabelContext = {}): Label | undefined {
  switch (event.type) {
    case 'ActionApproved': {
      if (event.payload.mode !== 'human') return undefined;
      const edits = context.edits ?? [];
      return {
        ...labelOf(event, event.payload.proposal, edits.length ? 'edited' : 'agreed', 'review'),
        ...(edits.length ? { edits } : {}),
        ...latency(event.occurredAt, context),
      };
    }
    case 'DecisionRejected':
      return event.payload.mode === 'human'
        ? {
            ...labelOf(event, event.payload.proposal, 'overridden', 'review'),
            ...latency(event.occurredAt, context),
          }
        : undefined;
    case 'ReversalRequested':
      return labelOf(event, event.payload.proposal, 'overridden', 'reversal');
    case 'ExecutionRetryRequested':
      return event.payload.changed.length
        ? {
            ...labelOf(event, event.payload.proposal, 'edited', 'resolution'),
            edits: [...event.payload.changed].sort(),
          }
        : undefined;
    default:
      return undefined;
  }
}

function labelOf(
  event: PlatformEvent,
  proposal: DecisionProposed,
  verdict: Verdict,
  source: LabelSource,
): Label {
  return {
    decisionId: event.decisionId ?? '',
    modelId: proposal.agent.modelId,
    modelVersion: proposal.agent.modelVersion,
    businessFunction: proposal.businessFunction,
    actionType: proposal.actionType,
    confidence: proposal.confidence,
    ...(proposal.amount ? { amount: proposal.amount } : {}),
    verdict,
    source,
    answeredAt: event.occurredAt,
  };
}

function latency(answeredAt: string, { review }: LabelContext): Pick<Label, 'latencyMinutes' | 'withinSla'> {
  if (!review) return {};
  const answered = Date.parse(answeredAt);
  return {
    latencyMinutes: Math.max(0, (answered - Date.parse(review.requestedAt)) / 60_000),
    ...(review.dueAt ? { withinSla: answered <= Date.parse(review.dueAt) } : {}),
  };
}

/**
 * A reviewer approving an after-the-fact sample of what ran on its own: agreement, which only the review
 * activity records (the action already ran, so no approval event follows). The activity names no proposal, so
 * the label takes it from the decision's routing. Undefined for any other activity, or for a decision that was
 * not auto-approved (its review's answer is labelled from the approval or rejection event).
 */
export function sampleApprovalLabel(
  event: PlatformEvent,
  routed: DecisionObservation | undefined,
): Label | undefined {
  if (!isReviewApproval(event) || !routed || routed.route !== 'auto') return undefined;
  return {
    decisionId: routed.decisionId,
    modelId: routed.modelId,
    modelVersion: routed.modelVersion,
    businessFunction: routed.businessFunction,
    actionType: routed.actionType,
    confidence: routed.confidence,
    ...(routed.amount ? { amount: routed.amount } : {}),
    verdict: 'agreed',
    source: 'review',
    answeredAt: event.occurredAt,
  };
}

/** Whether an event may be a sample's approval: its label waits for the decision's routing if that is unknown. */
export function isReviewApproval(event: PlatformEvent): boolean {
  return (
    event.type === 'ReviewActivity' && event.payload.act === 'approved' && event.payload.status === 'approved'
  );
}

/**
 * The key of a label in the store: one answer per review and one reversal per decision, however many events
 * said so; each correction of a failed action is a label of its own.
 */
export function labelKey(label: Label, eventId: string): string {
  return label.source === 'resolution'
    ? `${label.decisionId}#${eventId}`
    : `${label.decisionId}#${label.source}`;
}
