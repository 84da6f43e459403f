import { DecisionProposed, PlatformEvent } from '@oversight/contracts';
import { Label, Verdict } from './oversight-tally';

/**
 * The label a human outcome puts on the AI's proposal, or undefined for events that are not a person's answer
 * to it (automatic approvals, timeouts, abandoning a failed action). `editedBeforeApproval`: a reviewer changed
 * the parameters before this human approval (a ReviewActivity `edited` came first).
 */
export function labelFrom(event: PlatformEvent, editedBeforeApproval = false): Label | undefined {
  switch (event.type) {
    case 'ActionApproved':
      return event.payload.mode === 'human'
        ? labelOf(event.decisionId, event.payload.proposal, editedBeforeApproval ? 'edited' : 'agreed')
        : undefined;
    case 'DecisionRejected':
      return event.payload.mode === 'human'
        ? labelOf(event.decisionId, event.payload.proposal, 'overridden')
        : undefined;
    case 'ReversalRequested':
      // A supervisor undid what ran on its own: the automation's call was overridden.
      return labelOf(event.decisionId, event.payload.proposal, 'overridden');
    case 'ExecutionRetryRequested':
      return event.payload.changed.length
        ? labelOf(event.decisionId, event.payload.proposal, 'edited')
        : undefined;
    default:
      return undefined;
  }
}

function labelOf(decisionId: string | undefined, proposal: DecisionProposed, verdict: Verdict): Label {
  return {
    decisionId: decisionId ?? '',
    modelId: proposal.agent.modelId,
    modelVersion: proposal.agent.modelVersion,
    businessFunction: proposal.businessFunction,
    actionType: proposal.actionType,
    confidence: proposal.confidence,
    verdict,
  };
}
