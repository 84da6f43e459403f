import { DecisionProposed, MonetaryAmount, PlatformEvent, Route, Tier } from '@oversight/contracts';

/**
 * One decision as routing left it: who proposed it with what confidence, and whether it ran on its own, went
 * to people or was blocked. The denominator of every rate over decisions, and the confidence distribution drift
 * is measured on.
 */
export interface DecisionObservation {
  decisionId: string;
  businessFunction: string;
  actionType: string;
  modelId: string;
  modelVersion: string;
  confidence: number;
  route: Route;
  tier: Tier;
  routedAt: string;
  /** Review only: when the reviewers' SLA ends. */
  dueAt?: string;
  /** The proposal's parameters and amount, to tell later what a reviewer edited. */
  parameters: Record<string, unknown>;
  amount?: MonetaryAmount;
}

/**
 * The observation a routing outcome makes, or undefined for events that are not one: a person's approval, a
 * timeout's default, and the after-the-fact sample of something that already ran are not routing outcomes.
 */
export function observationFrom(event: PlatformEvent): DecisionObservation | undefined {
  switch (event.type) {
    case 'ActionApproved':
      return event.payload.mode === 'auto' ? observe(event, 'auto') : undefined;
    case 'ReviewRequested':
      return event.payload.kind === 'blocking' ? observe(event, 'review', event.payload.dueAt) : undefined;
    case 'DecisionBlocked':
      return observe(event, 'block');
    default:
      return undefined;
  }
}

function observe(
  event: PlatformEvent<'ActionApproved' | 'ReviewRequested' | 'DecisionBlocked'>,
  route: Route,
  dueAt?: string,
): DecisionObservation {
  const proposal: DecisionProposed = event.payload.proposal;
  return {
    decisionId: event.decisionId,
    businessFunction: proposal.businessFunction,
    actionType: proposal.actionType,
    modelId: proposal.agent.modelId,
    modelVersion: proposal.agent.modelVersion,
    confidence: proposal.confidence,
    route,
    tier: event.payload.tier,
    routedAt: event.occurredAt,
    ...(dueAt ? { dueAt } : {}),
    parameters: proposal.parameters,
    ...(proposal.amount ? { amount: proposal.amount } : {}),
  };
}

/**
 * What a reviewer's edit changed against the proposal: the names of the parameters whose values differ (added
 * or removed ones included), and `amount` when it changed.
 */
export function changedFields(
  original: Pick<DecisionObservation, 'parameters' | 'amount'>,
  edited: { parameters?: Record<string, unknown>; amount?: MonetaryAmount },
): string[] {
  const fields = new Set<string>();
  if (edited.parameters) {
    for (const key of new Set([...Object.keys(original.parameters), ...Object.keys(edited.parameters)])) {
      if (JSON.stringify(original.parameters[key]) !== JSON.stringify(edited.parameters[key]))
        fields.add(key);
    }
  }
  if (
    edited.amount &&
    (edited.amount.value !== original.amount?.value || edited.amount.currency !== original.amount?.currency)
  ) {
    fields.add('amount');
  }
  return [...fields].sort();
}
