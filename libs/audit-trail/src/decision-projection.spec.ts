import { exampleDecisionProposed, newEvent, PlatformEvent } from '@oversight/contracts';
import { projectDecision } from './decision-projection';

const proposal = exampleDecisionProposed();
const proposed = newEvent('DecisionProposed', {
  decisionId: 'dec-1',
  producer: 'gateway',
  payload: proposal,
});
const policy = { policyId: 'reference', policyVersion: 3 };
const routed = { proposal, score: 42, tier: 'medium' as const, riskReasons: [], policy };
const review = newEvent('ReviewRequested', {
  decisionId: 'dec-1',
  producer: 'routing',
  causedBy: proposed,
  payload: {
    ...routed,
    routingReasons: ['medium-tier refunds go to review'],
    kind: 'blocking',
    approvals: 1,
    eligibleRoles: ['billing-specialist'],
    excludedApprovers: [],
    dueAt: '2026-11-26T12:00:00.000Z',
    escalation: [],
    onTimeout: 'reject',
  },
});
const approved = newEvent('ActionApproved', {
  decisionId: 'dec-1',
  producer: 'routing',
  causedBy: proposed,
  payload: { ...routed, tier: 'low', routingReasons: ['low-tier refunds run on their own'], mode: 'auto' },
});

const execution = { executor: 'billing-credits', durationMs: 40 };
const failed = newEvent('ActionFailed', {
  decisionId: 'dec-1',
  producer: 'billing-credits',
  causedBy: approved,
  payload: {
    ...execution,
    attempt: 1,
    idempotencyKey: 'dec-1#1',
    error: { message: 'the billing API timed out', code: 'timeout' },
    retryable: true,
    willRetry: true,
    context: { accountId: 'ACC-10442' },
  },
});
const executed = newEvent('ActionExecuted', {
  decisionId: 'dec-1',
  producer: 'billing-credits',
  causedBy: approved,
  payload: { ...execution, attempt: 2, idempotencyKey: 'dec-1#2', result: { creditId: 'CR-9' } },
});

const person = { kind: 'user' as const, id: 'bella', roles: ['reviewer', 'billing-specialist'] };
const retryRequested = newEvent('ExecutionRetryRequested', {
  decisionId: 'dec-1',
  producer: 'escalation',
  payload: {
    executor: 'billing-credits',
    attempt: 2,
    proposal,
    requestedBy: person,
    changed: ['accountId'],
    comment: 'account from the CRM',
  },
});
const abandoned = newEvent('ActionAbandoned', {
  decisionId: 'dec-1',
  producer: 'escalation',
  payload: {
    executor: 'billing-credits',
    abandonedBy: person,
    reasonCode: 'resubmitted-for-review',
    comment: 'full charge instead',
    resubmittedAs: 'dec-1.r2',
  },
});

const reversalRequested = newEvent('ReversalRequested', {
  decisionId: 'dec-1',
  producer: 'gateway',
  payload: {
    executor: 'billing-credits',
    attempt: 2,
    proposal,
    result: { creditId: 'CR-9' },
    requestedBy: { kind: 'user', id: 'vera', roles: ['supervisor'] },
    comment: 'fraud ring',
  },
});
const reversed = newEvent('ActionReversed', {
  decisionId: 'dec-1',
  producer: 'billing-credits',
  payload: { executor: 'billing-credits', durationMs: 5 },
});

describe('projectDecision', () => {
  it.each<[string, PlatformEvent[], Record<string, unknown>]>([
    [
      'a proposal alone',
      [proposed],
      {
        state: 'proposed',
        businessFunction: 'telecom-billing',
        amount: 12,
        requesterId: 'billing-assistant',
        seq: 1,
      },
    ],
    [
      'a review request',
      [proposed, review],
      {
        state: 'awaiting-review',
        route: 'review',
        tier: 'medium',
        eligibleRoles: ['billing-specialist'],
        routingReasons: ['medium-tier refunds go to review'],
        policyVersion: 3,
      },
    ],
    ['an approval', [proposed, approved], { state: 'approved', route: 'auto', tier: 'low', score: 42 }],
    [
      'a failed try',
      [proposed, approved, failed],
      {
        state: 'execution-failed',
        executor: 'billing-credits',
        executionAttempts: 1,
        lastExecutionError: 'timeout',
      },
    ],
    [
      'a second try that succeeded',
      [proposed, approved, failed, executed],
      { state: 'executed', executionAttempts: 2, executedAt: new Date(executed.occurredAt) },
    ],
    [
      'a success read before the failure that preceded it',
      [proposed, approved, executed, failed],
      { state: 'executed', executionAttempts: 2 },
    ],
    [
      "a person's corrected try carried out",
      [proposed, approved, failed, retryRequested, executed],
      { state: 'resolved', retryRequestedBy: 'bella', executionAttempts: 2 },
    ],
    [
      "a person's corrected try read before the person's request for it",
      [proposed, approved, failed, executed, retryRequested],
      { state: 'resolved', retryRequestedBy: 'bella', executionAttempts: 2 },
    ],
    [
      'a failure given up on',
      [proposed, approved, failed, abandoned],
      {
        state: 'abandoned',
        abandonedBy: 'bella',
        abandonReason: 'resubmitted-for-review',
        resubmittedAs: 'dec-1.r2',
      },
    ],
    [
      'an auto action a supervisor reversed',
      [proposed, approved, failed, executed, reversalRequested, reversed],
      {
        state: 'reversed',
        route: 'auto',
        reversalRequestedBy: 'vera',
        reversedAt: new Date(reversed.occurredAt),
      },
    ],
    ['an outcome read before its proposal (never steps back)', [approved, proposed], { state: 'approved' }],
  ])('folds %s', (_case, events, expected) => {
    expect(projectDecision('dec-1', events)).toMatchObject({ _id: 'dec-1', ...expected });
  });
});
