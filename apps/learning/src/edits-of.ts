import { PlatformEvent } from '@oversight/contracts';
import { changedFields, DecisionObservation } from '@oversight/learning';

/**
 * What reviewers changed before approving: the approved proposal (which carries their edits) against the one
 * routed, or, when the routing outcome was never seen, what the recorded edits said.
 */
export function editsOf(
  event: PlatformEvent,
  observation: DecisionObservation | undefined,
  recorded: string[] | undefined,
): string[] | undefined {
  if (event.type !== 'ActionApproved') return undefined;
  if (observation) return changedFields(observation, event.payload.proposal);
  return recorded;
}
