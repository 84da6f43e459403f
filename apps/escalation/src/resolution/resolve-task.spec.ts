import { Actor, exampleDecisionProposed, newEvent, PlatformEvent } from '@oversight/contracts';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import {
  abandon,
  refusalFor,
  requestRetry,
  ResolveTask,
  taskAfterExecuted,
  taskFromFailure,
} from './resolve-task';

const policy = loadPolicyFile(REFERENCE_POLICY_FILE);
const now = new Date('2026-11-27T09:00:00Z');
const refund = exampleDecisionProposed({ parameters: { invoiceId: 'INV-1' } });
const person = (id: string, ...roles: string[]): Actor => ({
  kind: 'user',
  id,
  roles: ['reviewer', ...roles],
});
const bella = person('bella', 'billing-specialist');

function failure(attempt: number, willRetry = false): PlatformEvent<'ActionFailed'> {
  return newEvent('ActionFailed', {
    decisionId: 'dec-1',
    producer: 'ledger',
    payload: {
      executor: 'ledger',
      attempt,
      idempotencyKey: `ledger/dec-1#${attempt}`,
      durationMs: 3,
      error: { code: 'missing-parameter', message: 'parameter accountId is missing' },
      retryable: false,
      willRetry,
      context: { missing: 'accountId' },
      proposal: refund,
    },
  });
}

const open = (): ResolveTask => taskFromFailure(failure(1), undefined, now) as ResolveTask;

function settled(result: ReturnType<typeof abandon>): ResolveTask {
  if (!result.ok) throw new Error(result.refusal.message);
  return result.task;
}

describe('resolve tasks', () => {
  it('opens a task for a failure handed to people, with what the executor saw', () => {
    expect(open()).toMatchObject({
      decisionId: 'dec-1',
      executor: 'ledger',
      status: 'open',
      failedAttempt: 1,
      error: { code: 'missing-parameter' },
      context: { missing: 'accountId' },
      proposal: refund,
      version: 1,
      history: [{ act: 'failed', attempt: 1, code: 'missing-parameter' }],
    });
  });

  it.each<[string, PlatformEvent<'ActionFailed'>, ResolveTask | undefined]>([
    ['a failure the executor still retries', failure(1, true), undefined],
    ['the same failure delivered again', failure(1), open()],
    [
      'a failure after the task was abandoned',
      failure(2),
      settled(abandon(open(), bella, 'done-by-hand', 'credited by hand', policy, now)),
    ],
    [
      'a late failure after the task was resolved',
      failure(3),
      { ...open(), status: 'resolved', failedAttempt: 1 },
    ],
  ])('leaves no new task for %s', (_name, event, existing) => {
    expect(taskFromFailure(event, existing, now)).toBeUndefined();
  });

  it('opens the task again when the corrected try fails too', () => {
    const retried = requestRetry(
      open(),
      bella,
      { parameters: { accountId: 'ACC-9' }, comment: 'added' },
      policy,
      now,
    );
    if (!retried.ok) throw new Error(retried.refusal.message);
    const reopened = taskFromFailure(failure(2), retried.task, now);
    expect(reopened).toMatchObject({ status: 'open', failedAttempt: 2, version: 3 });
    expect(reopened?.history.map((step) => step.act)).toEqual(['failed', 'retry-requested', 'failed']);
  });

  it.each<[string, Actor, Partial<ResolveTask>, string | undefined]>([
    ["one of the function's reviewers", bella, {}, undefined],
    ['a supervisor', { kind: 'user', id: 'vera', roles: ['supervisor'] }, {}, undefined],
    ["someone who reviews other functions' actions", person('nina', 'network-engineer'), {}, 'not-eligible'],
    ['the requester', person('billing-assistant', 'billing-specialist'), {}, 'own-request'],
    ['anyone, once a corrected try is with the executor', bella, { status: 'retrying' }, 'not-open'],
  ])('lets %s resolve it or says why not', (_name, actor, change, code) => {
    expect(refusalFor({ ...open(), ...change }, actor, policy)?.code).toBe(code);
  });

  it('sends the corrected action to its executor as the next try, naming what changed', () => {
    const result = requestRetry(
      open(),
      bella,
      { parameters: { invoiceId: 'INV-1', accountId: 'ACC-9' }, comment: 'account from the CRM' },
      policy,
      now,
    );
    if (!result.ok) throw new Error(result.refusal.message);
    expect(result.task).toMatchObject({ status: 'retrying', version: 2 });
    expect(result.events).toHaveLength(1);
    expect(result.events[0].event).toMatchObject({
      type: 'ExecutionRetryRequested',
      decisionId: 'dec-1',
      payload: {
        executor: 'ledger',
        attempt: 2,
        changed: ['accountId'],
        requestedBy: { id: 'bella' },
        proposal: { parameters: { invoiceId: 'INV-1', accountId: 'ACC-9' } },
      },
    });
  });

  it('refuses an amount over the person’s authority', () => {
    const result = requestRetry(
      open(),
      bella,
      { amount: { value: 4000, currency: 'USD' }, comment: 'x' },
      policy,
      now,
    );
    expect(result).toMatchObject({ ok: false, refusal: { code: 'over-authority' } });
  });

  it('sends a correction that scores riskier back through review, as a new decision proposed by this person', () => {
    const result = requestRetry(
      open(),
      bella,
      {
        parameters: { invoiceId: 'INV-1', accountId: 'ACC-9' },
        amount: { value: 900, currency: 'USD' },
        comment: 'full charge',
      },
      policy,
      now,
    );
    if (!result.ok) throw new Error(result.refusal.message);
    expect(result.resubmittedAs).toBe('dec-1.r2');
    expect(result.task.status).toBe('abandoned');
    expect(result.events.map(({ event }) => event.type)).toEqual(['DecisionProposed', 'ActionAbandoned']);
    expect(result.events[0].event).toMatchObject({
      decisionId: 'dec-1.r2',
      correlationId: 'dec-1',
      payload: { requester: { kind: 'user', id: 'bella' }, amount: { value: 900 } },
    });
    expect(result.events[1].event.payload).toMatchObject({
      reasonCode: 'resubmitted-for-review',
      resubmittedAs: 'dec-1.r2',
    });
  });

  it('records who gave up and why', () => {
    const result = abandon(open(), bella, 'no-longer-needed', 'customer closed the account', policy, now);
    if (!result.ok) throw new Error(result.refusal.message);
    expect(result.task.status).toBe('abandoned');
    expect(result.events[0].event).toMatchObject({
      type: 'ActionAbandoned',
      payload: {
        reasonCode: 'no-longer-needed',
        abandonedBy: { id: 'bella' },
        comment: 'customer closed the account',
      },
    });
  });

  it('is resolved when the corrected try is carried out, and not by an earlier report', () => {
    const retried = settled(
      requestRetry(open(), bella, { parameters: { accountId: 'ACC-9' }, comment: 'added' }, policy, now),
    );
    const executed = (attempt: number) =>
      newEvent('ActionExecuted', {
        decisionId: 'dec-1',
        producer: 'ledger',
        payload: { executor: 'ledger', attempt, idempotencyKey: `ledger/dec-1#${attempt}`, durationMs: 2 },
      });
    expect(taskAfterExecuted(retried, executed(1), now)).toBeUndefined();
    expect(taskAfterExecuted(retried, executed(2), now)).toMatchObject({ status: 'resolved' });
  });
});
