import { exampleDecisionProposed, newEvent, PlatformEvent } from '@oversight/contracts';
import { LabelContext, labelFrom } from './labels';
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
  it.each<[string, PlatformEvent, LabelContext, Verdict | undefined]>([
    [
      'a person approving',
      event('ActionApproved', { ...routed, mode: 'human', approvers: [approver] }),
      {},
      'agreed',
    ],
    [
      'a person approving after an edit',
      event('ActionApproved', { ...routed, mode: 'human', approvers: [approver] }),
      { edits: ['accountId'] },
      'edited',
    ],
    ['the policy approving on its own', event('ActionApproved', { ...routed, mode: 'auto' }), {}, undefined],
    [
      'a person rejecting',
      event('DecisionRejected', {
        ...routed,
        mode: 'human',
        rejectedBy: [approver],
        reasonCode: 'incorrect-data',
      }),
      {},
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
      {},
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
      {},
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
      {},
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
      {},
      undefined,
    ],
  ])('labels %s', (_name, outcome, context, verdict) => {
    const label = labelFrom(outcome, context);
    expect(label?.verdict).toBe(verdict);
    if (verdict) {
      expect(label).toMatchObject({
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

  it('records what was edited and how long the reviewer took against the SLA', () => {
    const approved = {
      ...event('ActionApproved', { ...routed, mode: 'human', approvers: [approver] }),
      occurredAt: '2026-11-27T09:45:00.000Z',
    } as PlatformEvent;
    expect(
      labelFrom(approved, {
        edits: ['accountId', 'amount'],
        review: { requestedAt: '2026-11-27T09:00:00.000Z', dueAt: '2026-11-27T09:30:00.000Z' },
      }),
    ).toMatchObject({
      verdict: 'edited',
      source: 'review',
      edits: ['accountId', 'amount'],
      latencyMinutes: 45,
      withinSla: false,
      answeredAt: '2026-11-27T09:45:00.000Z',
    });
  });

  it('labels a reversal and a correction by where they came from', () => {
    const reversal = event('ReversalRequested', {
      executor: 'ledger',
      attempt: 1,
      proposal,
      requestedBy: person,
      comment: 'fraud',
    });
    const correction = event('ExecutionRetryRequested', {
      executor: 'ledger',
      attempt: 2,
      proposal,
      requestedBy: person,
      changed: ['reason', 'accountId'],
      comment: 'from the CRM',
    });
    expect(labelFrom(reversal)).toMatchObject({ source: 'reversal', verdict: 'overridden' });
    expect(labelFrom(correction)).toMatchObject({ source: 'resolution', edits: ['accountId', 'reason'] });
  });
});
