import { PlatformEvent } from '@oversight/contracts';
import { nameLabel, platformMetrics, safely } from '@oversight/observability';
import { RoutingOutcome } from '@oversight/policy';

/** A routed decision as `oversight_decisions_routed_total` labels it. */
export interface RoutedDecision {
  route: 'auto' | 'review' | 'blocked';
  function: string;
  tier: string;
}

export function routedDecisionOf(
  scored: PlatformEvent<'DecisionScored'>,
  outcome: RoutingOutcome,
): RoutedDecision {
  return {
    route: outcome.route === 'block' ? 'blocked' : outcome.route,
    function: nameLabel(scored.payload.proposal.businessFunction),
    tier: nameLabel(scored.payload.tier),
  };
}

export function countRouted(decisions: RoutedDecision[]): void {
  safely(() => decisions.forEach((labels) => platformMetrics.decisionsRouted().inc({ ...labels })));
}
