import { exampleDecisionProposed, newEvent, PlatformEvent } from '@oversight/contracts';
import { DecisionObservation } from './decision-observation';
import { isReviewApproval, LabelContext, labelFrom, labelKey, sampleApprovalLabel } from './labels';
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

  const routedAs = (route: DecisionObservation['route']): DecisionObservation => ({
    decisionId: 'dec-1',
    businessFunction: 'telecom-billing',
    actionType: 'refund',
    modelId: 'gpt-ops',
    modelVersion: '2026-10-01',
    confidence: 0.97,
    route,
    tier: 'low',
    routedAt: '2026-11-27T08:00:00.000Z',
    parameters: {},
  });
  const activity = (act: string, status: string) =>
    event('ReviewActivity', {
      act,
      actor: { kind: 'user', id: 'bella', roles: ['billing-specialist'] },
      taskVersion: 2,
      status,
      quorum: { given: 1, required: 1 },
    });

  it.each<[string, PlatformEvent, DecisionObservation | undefined, boolean]>([
    ["a sample's approval of what ran on its own", activity('approved', 'approved'), routedAs('auto'), true],
    [
      'an approval of a blocking review (labelled from its ActionApproved)',
      activity('approved', 'approved'),
      routedAs('review'),
      false,
    ],
    ['a first approval of two', activity('approved', 'open'), routedAs('auto'), false],
    ['a routing not seen yet', activity('approved', 'approved'), undefined, false],
    ['a claim', activity('claimed', 'claimed'), routedAs('auto'), false],
  ])('labels %s as agreement, or not', (_name, answer, routed, labelled) => {
    const label = sampleApprovalLabel(answer, routed);
    expect(label !== undefined).toBe(labelled);
    if (labelled)
      expect(label).toMatchObject({
        verdict: 'agreed',
        source: 'review',
        modelVersion: '2026-10-01',
        confidence: 0.97,
      });
  });

  it('tells a final review approval from other activity', () => {
    expect(isReviewApproval(activity('approved', 'approved'))).toBe(true);
    expect(isReviewApproval(activity('approved', 'open'))).toBe(false);
    expect(isReviewApproval(activity('rejected', 'rejected'))).toBe(false);
  });

  it('keys one label per review and per reversal, and one per correction', () => {
    const base = labelFrom(
      event('DecisionRejected', {
        ...routed,
        mode: 'human',
        rejectedBy: [approver],
        reasonCode: 'duplicate',
      }),
    )!;
    expect(labelKey(base, 'evt-1')).toBe('dec-1#review');
    expect(labelKey({ ...base, source: 'reversal' }, 'evt-2')).toBe('dec-1#reversal');
    expect(labelKey({ ...base, source: 'resolution' }, 'evt-3')).toBe('dec-1#evt-3');
  });
});
