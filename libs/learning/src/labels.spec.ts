import { exampleDecisionProposed, newEvent, PlatformEvent } from '@oversight/contracts';
import { labelFrom } from './labels';
import { Verdict } from './oversight-tally';

const proposal = exampleDecisionProposed();
const routed = {
  proposal,
  score: 35,
  tier: 'medium' as const,
  riskReasons: [],
  routingReasons: ['medium-tier refunds go to review'],
  policy: { policyId: 'reference', policyVersion: 1 },
};
const person = { kind: 'user' as const, id: 'bella', roles: ['reviewer', 'billing-specialist'] };
const approver = { id: 'bella', roles: ['billing-specialist'], at: '2026-11-27T09:00:00.000Z' };
const event = <T extends Parameters<typeof newEvent>[0]>(type: T, payload: unknown) =>
  newEvent(type, { decisionId: 'dec-1', producer: 'escalation', payload: payload as never }) as PlatformEvent;

describe('labelFrom', () => {
  it.each<[string, PlatformEvent, boolean, Verdict | undefined]>([
    [
      'a person approving',
      event('ActionApproved', { ...routed, mode: 'human', approvers: [approver] }),
      false,
      'agreed',
    ],
    [
      'a person approving after an edit',
      event('ActionApproved', { ...routed, mode: 'human', approvers: [approver] }),
      true,
      'edited',
    ],
    [
      'the policy approving on its own',
      event('ActionApproved', { ...routed, mode: 'auto' }),
      false,
      undefined,
    ],
    [
      'a person rejecting',
      event('DecisionRejected', {
        ...routed,
        mode: 'human',
        rejectedBy: [approver],
        reasonCode: 'incorrect-data',
      }),
      false,
      'overridden',
    ],
    [
      'the default on timeout',
      event('DecisionRejected', {
        ...routed,
        mode: 'timeout-default',
        rejectedBy: [],
        reasonCode: 'timeout',
      }),
      false,
      undefined,
    ],
    [
      'a supervisor reversing what ran on its own',
      event('ReversalRequested', {
        executor: 'ledger',
        attempt: 1,
        proposal,
        requestedBy: person,
        comment: 'fraud',
      }),
      false,
      'overridden',
    ],
    [
      'a person correcting a failed action',
      event('ExecutionRetryRequested', {
        executor: 'ledger',
        attempt: 2,
        proposal,
        requestedBy: person,
        changed: ['accountId'],
        comment: 'from the CRM',
      }),
      false,
      'edited',
    ],
    [
      'a person retrying as it was',
      event('ExecutionRetryRequested', {
        executor: 'ledger',
        attempt: 2,
        proposal,
        requestedBy: person,
        changed: [],
        comment: 'ledger back',
      }),
      false,
      undefined,
    ],
  ])('labels %s', (_name, outcome, edited, verdict) => {
    const label = labelFrom(outcome, edited);
    expect(label?.verdict).toBe(verdict);
    if (verdict) {
      expect(label).toEqual({
        decisionId: 'dec-1',
        modelId: 'gpt-ops',
        modelVersion: '2026-10-01',
        businessFunction: 'telecom-billing',
        actionType: 'refund',
        confidence: 0.97,
        verdict,
      });
    }
  });
});
