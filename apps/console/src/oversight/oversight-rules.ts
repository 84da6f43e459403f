import type { DecisionEvent, DecisionStatus } from '../api/types';

/** A routed decision as the oversight screen lists it, from the live feed or from the audit trail. */
export interface RoutedDecision {
  decisionId: string;
  at: string;
  businessFunction?: string;
  actionType?: string;
  amount?: { value: number; currency?: string };
  tier?: string;
  route: string;
  /** How an approval came about (auto, human, timeout-default), when it is one. */
  mode?: string;
  sampled: boolean;
}

export function fromEvent(event: DecisionEvent): RoutedDecision {
  return {
    decisionId: event.decisionId,
    at: event.occurredAt,
    businessFunction: event.businessFunction,
    actionType: event.actionType,
    amount: event.amount !== undefined ? { value: event.amount, currency: event.currency } : undefined,
    tier: event.tier,
    route: event.route,
    mode: event.mode,
    sampled: event.sampled,
  };
}

export function fromStatus(status: DecisionStatus): RoutedDecision {
  return {
    decisionId: status.decisionId,
    at: status.outcome?.routedAt ?? status.proposal.proposedAt ?? '',
    businessFunction: status.proposal.businessFunction,
    actionType: status.proposal.actionType,
    amount: status.proposal.amount,
    tier: status.risk?.tier,
    route: status.outcome?.route ?? status.status,
    sampled: status.outcome?.sampledForAudit ?? false,
  };
}

/**
 * Folds a new item into the newest-first list: one row per decision (a sampled auto decision arrives as an
 * approval and as a sample request; the row keeps the approval's facts and the sample flag), at most `limit`.
 */
export function merge(list: RoutedDecision[], item: RoutedDecision, limit = 100): RoutedDecision[] {
  const existing = list.find((row) => row.decisionId === item.decisionId);
  const row = existing
    ? {
        ...existing,
        ...item,
        // The trail may answer after the live feed with the decision as it stood before it was routed: a
        // status ("proposed", "scored") never replaces a route the feed already showed.
        route: isRoute(item.route) || !isRoute(existing.route) ? item.route : existing.route,
        mode: item.mode ?? existing.mode,
        sampled: existing.sampled || item.sampled,
      }
    : item;
  return [row, ...list.filter((other) => other.decisionId !== item.decisionId)].slice(0, limit);
}

/** Folds a page of decisions from the trail (newest first) into the list, the newest ending up on top. */
export function mergeAll(list: RoutedDecision[], items: RoutedDecision[]): RoutedDecision[] {
  // Not items.reduceRight(merge, list): reduceRight would pass each item's index as merge's limit.
  return items.reduceRight((merged, item) => merge(merged, item), list);
}

const ROUTES = ['auto', 'review', 'block'];
const isRoute = (route: string) => ROUTES.includes(route);

/** The functions an operator can halt: those seen recently and those halted now. */
export function haltableFunctions(rows: RoutedDecision[], halted: string[]): string[] {
  const seen = rows.map((row) => row.businessFunction).filter((name): name is string => Boolean(name));
  return [...new Set([...seen, ...halted.filter((scope) => scope !== '*')])].sort();
}
