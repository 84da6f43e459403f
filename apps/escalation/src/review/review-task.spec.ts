import { Actor, exampleDecisionProposed, ReviewRequested } from '@oversight/contracts';
import {
  Acted,
  approve,
  claim,
  editAndApprove,
  escalateNow,
  finalDeadline,
  fireTimers,
  openTask,
  reassign,
  reject,
  release,
  ReviewTask,
} from './review-task';

const T0 = new Date('2026-11-26T10:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const LEASE = 15 * 60_000;

function user(id: string, ...roles: string[]): Actor {
  return { kind: 'user', id, roles };
}

const legal = user('lena', 'reviewer', 'legal-counsel');
const legal2 = user('lars', 'reviewer', 'legal-counsel');
const director = user('fiona', 'reviewer', 'finance-director');
const specialist = user('sam', 'reviewer', 'billing-specialist');
const outsider = user('otto', 'reviewer', 'network-engineer');

/** A review request as routing sends it, for a $1.2M amendment needing two approvers, one a finance director. */
function amendment(overrides: Partial<ReviewRequested> = {}): ReviewTask {
  const proposal = exampleDecisionProposed({
    businessFunction: 'contract-management',
    actionType: 'contract-amendment',
    amount: { value: 1_200_000, currency: 'USD' },
    requester: { kind: 'user' as never, id: 'rita' },
    agent: { id: 'contract-agent', modelId: 'm', modelVersion: '1', ownerId: 'oscar' },
    subject: { kind: 'employee', id: 'emma' },
  });
  return openTask({
    eventId: '7d1f1d2e-2f3b-4c59-9a63-3f1a6f0b7c01',
    correlationId: 'corr-1',
    occurredAt: T0.toISOString(),
    decisionId: 'dec-1',
    payload: {
      proposal,
      score: 90,
      tier: 'critical',
      riskReasons: [],
      routingReasons: [
        'policy reference v1 routes critical-tier contract-management/contract-amendment to review',
      ],
      policy: { policyId: 'reference', policyVersion: 1 },
      kind: 'blocking',
      approvals: 2,
      eligibleRoles: ['legal-counsel', 'finance-director'],
      excludedApprovers: ['rita', 'oscar', 'emma'],
      dueAt: minutes(60).toISOString(),
      escalation: [{ afterMinutes: 60, notifyRoles: ['general-counsel'] }],
      onTimeout: 'reject',
      rejectWhen: 'first',
      seniorRole: 'finance-director',
      authority: {
        'legal-counsel': 5_000_000,
        'finance-director': 5_000_000,
        'general-counsel': 0,
        'billing-specialist': 1000,
      },
      currency: 'USD',
      ...overrides,
    },
  }).task;
}

function ok(acted: Acted) {
  if (!acted.ok) throw new Error(`refused: ${acted.refusal.code}: ${acted.refusal.message}`);
  return acted.result;
}

function refusal(acted: Acted) {
  if (acted.ok) throw new Error('expected a refusal');
  return acted.refusal;
}

describe('a review task', () => {
  it('opens with its timers set from the request', () => {
    const task = amendment();
    expect(task).toMatchObject({ status: 'open', version: 1, approvalsRequired: 2, escalationLevel: 0 });
    expect(task.nextTimerAt).toEqual(minutes(48));
    expect(task.expiresAt).toEqual(minutes(120));
  });

  it.each([
    ['no escalation: the SLA itself', 60, [], 60],
    ['one step at the SLA: one more SLA after it', 60, [60], 120],
    ['a step after the SLA: one SLA after that step', 15, [45], 60],
    ['several steps, in any order: after the last', 30, [90, 30], 120],
  ])('has its final deadline at %s', (_name, sla, steps, expected) => {
    const deadline = finalDeadline(
      T0,
      minutes(sla),
      steps.map((afterMinutes) => ({ afterMinutes, notifyRoles: ['lead'] })),
    );
    expect(deadline).toEqual(minutes(expected));
  });

  describe('approval', () => {
    it('needs two distinct people, one of them the senior role, and approves once', () => {
      const first = ok(approve(amendment(), legal, minutes(1)));
      expect(first.task).toMatchObject({ status: 'open', version: 2 });
      expect(first.outcome).toBeUndefined();
      expect(first.activities).toEqual([
        expect.objectContaining({ act: 'approved', quorum: { given: 1, required: 2 }, taskVersion: 2 }),
      ]);
      const second = ok(approve(first.task, director, minutes(2)));
      expect(second.task.status).toBe('approved');
      expect(second.outcome).toMatchObject({
        type: 'ActionApproved',
        payload: { mode: 'human', approvers: [{ id: 'lena' }, { id: 'fiona' }] },
      });
      expect(refusal(approve(second.task, legal2, minutes(3)))).toMatchObject({ code: 'already-decided' });
    });

    it.each<[string, Actor, string, string]>([
      ['the requester', user('rita', 'legal-counsel'), 'conflict', 'own-request'],
      ["the agent's owner", user('oscar', 'finance-director'), 'conflict', 'agent-owner'],
      ['the subject of the action', user('emma', 'legal-counsel'), 'conflict', 'excluded'],
      ['a reviewer of another function', outsider, 'forbidden', 'not-eligible'],
      ['a reviewer over their authority', specialist, 'conflict', 'over-authority'],
    ])('is refused to %s', (_name, actor, kind, code) => {
      expect(refusal(approve(amendment(), actor, minutes(1)))).toMatchObject({ kind, code });
    });

    it('explains a refusal over authority with the limit and the amount', () => {
      expect(refusal(approve(amendment(), specialist, minutes(1))).message).toBe(
        'this action moves 1,200,000 USD, over your authority (billing-specialist may approve up to 1,000 USD)',
      );
    });

    it("counts one person's second approval once", () => {
      const first = ok(approve(amendment(), legal, minutes(1))).task;
      expect(refusal(approve(first, legal, minutes(2)))).toMatchObject({ code: 'already-approved' });
    });

    it('wants the last approval of a critical decision from the senior role', () => {
      const first = ok(approve(amendment(), legal, minutes(1))).task;
      expect(refusal(approve(first, legal2, minutes(2)))).toMatchObject({ code: 'senior-required' });
      expect(ok(approve(first, director, minutes(2))).task.status).toBe('approved');
    });

    it('is refused once the review has closed, even before the timer has fired', () => {
      expect(refusal(approve(amendment(), legal, minutes(121)))).toMatchObject({ code: 'expired' });
    });
  });

  describe('claims', () => {
    it('hold others off until released or the lease runs out', () => {
      const claimed = ok(claim(amendment(), legal, minutes(1), LEASE)).task;
      expect(claimed.status).toBe('claimed');
      expect(refusal(approve(claimed, director, minutes(2)))).toMatchObject({ code: 'claimed' });
      expect(refusal(claim(claimed, director, minutes(2), LEASE)).message).toContain(
        'lena is working on this review',
      );
      expect(ok(approve(claimed, director, minutes(17))).task.approvals).toHaveLength(1);
      const released = ok(release(claimed, legal, minutes(3))).task;
      expect(ok(claim(released, director, minutes(4), LEASE)).task.claim?.by).toBe('fiona');
    });

    it('end with the claimant’s approval, so the next approver can work', () => {
      const claimed = ok(claim(amendment(), legal, minutes(1), LEASE)).task;
      const approved = ok(approve(claimed, legal, minutes(2))).task;
      expect(approved).toMatchObject({ status: 'open' });
      expect(approved.claim).toBeUndefined();
    });

    it('may be released only by the claimant or a supervisor, and reassigned only by a supervisor', () => {
      const claimed = ok(claim(amendment(), legal, minutes(1), LEASE)).task;
      expect(refusal(release(claimed, director, minutes(2)))).toMatchObject({ code: 'claimed' });
      expect(ok(release(claimed, user('sue', 'supervisor'), minutes(2))).task.status).toBe('open');
      expect(refusal(reassign(claimed, legal, 'fiona', minutes(2), LEASE))).toMatchObject({
        kind: 'forbidden',
      });
      expect(refusal(reassign(claimed, user('sue', 'supervisor'), 'rita', minutes(2), LEASE))).toMatchObject({
        code: 'excluded',
      });
      expect(
        ok(reassign(claimed, user('sue', 'supervisor'), 'fiona', minutes(2), LEASE)).task.claim?.by,
      ).toBe('fiona');
    });
  });

  describe('rejection', () => {
    it('ends the review at the first one by default, with the reason', () => {
      const result = ok(reject(amendment(), legal, minutes(1), 'risk-too-high', 'exposure too large'));
      expect(result.task.status).toBe('rejected');
      expect(result.outcome).toMatchObject({
        type: 'DecisionRejected',
        payload: {
          mode: 'human',
          reasonCode: 'risk-too-high',
          comment: 'exposure too large',
          rejectedBy: [{ id: 'lena' }],
        },
      });
    });

    it('needs as many rejections as approvals under the quorum rule', () => {
      const first = ok(reject(amendment({ rejectWhen: 'quorum' }), legal, minutes(1), 'other', 'no'));
      expect(first.task.status).toBe('open');
      expect(first.outcome).toBeUndefined();
      expect(ok(reject(first.task, director, minutes(2), 'other', 'no')).task.status).toBe('rejected');
    });

    it('is refused to the requester', () => {
      expect(
        refusal(reject(amendment(), user('rita', 'legal-counsel'), minutes(1), 'other', 'x')),
      ).toMatchObject({
        code: 'own-request',
      });
    });
  });

  describe('timers', () => {
    it('do nothing before they are due', () => {
      expect(refusal(fireTimers(amendment(), minutes(47)))).toMatchObject({ code: 'not-due' });
    });

    it('warn the reviewers once when four fifths of the SLA have passed', () => {
      const warned = ok(fireTimers(amendment(), minutes(50)));
      expect(warned.activities).toEqual([expect.objectContaining({ act: 'sla-warning' })]);
      expect(warned.task.nextTimerAt).toEqual(minutes(60));
      expect(refusal(fireTimers(warned.task, minutes(51)))).toMatchObject({ code: 'not-due' });
    });

    it('escalate to the next group at the SLA, who may then act', () => {
      const task = amendment({ amount: undefined } as never);
      const noMoney = { ...task, proposal: { ...task.proposal, amount: undefined } };
      const escalated = ok(fireTimers(noMoney, minutes(60)));
      expect(escalated.task).toMatchObject({ escalationLevel: 1, status: 'open' });
      expect(escalated.task.eligibleRoles).toContain('general-counsel');
      expect(escalated.task.nextTimerAt).toEqual(minutes(120));
      expect(escalated.activities).toEqual([
        expect.objectContaining({
          act: 'escalated',
          escalation: { level: 1, notifyRoles: ['general-counsel'] },
        }),
      ]);
    });

    it('do not give an escalated role more authority than it has', () => {
      const escalated = ok(fireTimers(amendment(), minutes(60))).task;
      expect(escalated.eligibleRoles).not.toContain('general-counsel');
      expect(refusal(approve(escalated, user('gus', 'general-counsel'), minutes(61)))).toMatchObject({
        code: 'over-authority',
      });
    });

    it('apply the default at the final deadline, firing a missed escalation on the way', () => {
      const result = ok(fireTimers(amendment(), minutes(500)));
      expect(result.task).toMatchObject({ status: 'expired', escalationLevel: 1 });
      expect(result.task.nextTimerAt).toBeUndefined();
      expect(result.activities.map((a) => a.act)).toEqual(['escalated', 'expired']);
      expect(result.outcome).toMatchObject({
        type: 'DecisionRejected',
        payload: { mode: 'timeout-default', reasonCode: 'timeout', rejectedBy: [] },
      });
    });

    it('approve by silence only an action that moves no money', () => {
      const stopWork = amendment({ onTimeout: 'approve' });
      const withoutMoney = { ...stopWork, proposal: { ...stopWork.proposal, amount: undefined } };
      expect(ok(fireTimers(withoutMoney, minutes(120))).outcome).toMatchObject({
        type: 'ActionApproved',
        payload: { mode: 'timeout-default' },
      });
      const money = ok(fireTimers(stopWork, minutes(120)));
      expect(money.outcome).toMatchObject({ type: 'DecisionRejected', payload: { mode: 'timeout-default' } });
      expect(money.activities.at(-1)?.comment).toContain('money is never approved by silence');
    });

    it('close an after-the-fact sample without an outcome', () => {
      const result = ok(fireTimers(amendment({ kind: 'post-hoc-sample' }), minutes(120)));
      expect(result.task.status).toBe('expired');
      expect(result.outcome).toBeUndefined();
    });

    it('can be brought forward by a reviewer escalating by hand, until no step is left', () => {
      const escalated = ok(escalateNow(amendment(), legal, minutes(5), 'needs general counsel')).task;
      expect(escalated.escalationLevel).toBe(1);
      expect(refusal(escalateNow(escalated, legal, minutes(6)))).toMatchObject({
        code: 'no-escalation-left',
      });
    });
  });

  describe('edit then approve', () => {
    const rescore = (approvalsRequired: number, eligibleRoles: string[], tier = 'critical' as const) => ({
      rescore: { score: 95, tier, reasons: [], approvalsRequired, eligibleRoles },
    });

    it('records the edit, voids earlier approvals and counts the editor', () => {
      const first = ok(approve(amendment(), legal, minutes(1))).task;
      const edited = ok(
        editAndApprove(
          first,
          director,
          minutes(2),
          {
            parameters: { clause: '7.2', cap: 900_000 },
            amount: { value: 900_000, currency: 'USD' },
            comment: 'cap lowered',
          },
          rescore(2, ['legal-counsel', 'finance-director']),
        ),
      );
      expect(edited.task).toMatchObject({ status: 'open', edits: 1, approvals: [{ id: 'fiona' }] });
      expect(edited.task.proposal.amount).toEqual({ value: 900_000, currency: 'USD' });
      expect(edited.activities.map((a) => a.act)).toEqual(['edited', 'approved']);
      expect(edited.activities[0]).toMatchObject({
        parameters: { cap: 900_000 },
        rescore: { approvalsRequired: 2 },
      });
    });

    it('raises the quorum when the edited action is riskier, never lowers it', () => {
      const task = { ...amendment(), approvalsRequired: 1, seniorRole: undefined };
      const raised = ok(
        editAndApprove(
          task,
          legal,
          minutes(1),
          { parameters: {}, comment: 'c' },
          rescore(3, ['legal-counsel']),
        ),
      );
      expect(raised.task.approvalsRequired).toBe(3);
      const kept = ok(
        editAndApprove(
          amendment(),
          director,
          minutes(1),
          { parameters: {}, comment: 'c' },
          rescore(1, ['finance-director']),
        ),
      );
      expect(kept.task.approvalsRequired).toBe(2);
    });

    it('approves at once when the editor alone meets the quorum', () => {
      const task = { ...amendment(), approvalsRequired: 1, seniorRole: undefined };
      const result = ok(
        editAndApprove(
          task,
          legal,
          minutes(1),
          { parameters: { a: 1 }, comment: 'c' },
          rescore(1, ['legal-counsel'], 'high' as never),
        ),
      );
      expect(result.outcome).toMatchObject({
        type: 'ActionApproved',
        payload: { mode: 'human', proposal: { parameters: { a: 1 } } },
      });
    });

    it('is refused when the edit takes the action over the editor’s authority or the policy blocks it', () => {
      expect(
        refusal(
          editAndApprove(
            amendment(),
            legal,
            minutes(1),
            { parameters: {}, comment: 'c' },
            rescore(2, ['finance-director']),
          ),
        ),
      ).toMatchObject({ code: 'over-authority' });
      expect(
        refusal(
          editAndApprove(
            amendment(),
            legal,
            minutes(1),
            { parameters: {}, comment: 'c' },
            {
              ...rescore(2, ['legal-counsel']),
              blockedBecause: 'no review role may approve 9,000,000 USD',
            },
          ),
        ),
      ).toMatchObject({ code: 'edit-blocked' });
    });
  });
});

describe('a delegate', () => {
  // fiona (finance director) is away and lets dora act for her; dora is a legal counsel in her own right.
  const dora = (ownRoles: string[]) => ({
    kind: 'user' as const,
    id: 'dora',
    roles: ['finance-director'],
    onBehalfOf: 'fiona',
    ownRoles,
  });

  it('acts with the delegated role within her own authority, and it is recorded on whose behalf', () => {
    const first = ok(approve(amendment(), legal, minutes(1))).task;
    const result = ok(approve(first, dora(['reviewer', 'legal-counsel']), minutes(2)));
    expect(result.task.status).toBe('approved');
    expect(result.outcome).toMatchObject({
      payload: {
        approvers: [{ id: 'lena' }, { id: 'dora', onBehalfOf: 'fiona', roles: ['finance-director'] }],
      },
    });
  });

  it('never gains authority beyond her own role', () => {
    const refused = refusal(approve(amendment(), dora(['reviewer', 'billing-specialist']), minutes(1)));
    expect(refused).toMatchObject({ code: 'over-authority' });
    expect(refused.message).toBe(
      'as delegate of fiona you may approve only up to your own limit (1,000 USD); this action moves 1,200,000 USD',
    );
  });

  it('cannot add a second vote for a person who already voted', () => {
    const byFiona = ok(approve(amendment(), director, minutes(1))).task;
    expect(refusal(approve(byFiona, dora(['legal-counsel']), minutes(2)))).toMatchObject({
      code: 'already-approved',
    });
  });

  it('may not approve what the delegator may not', () => {
    const delegateOfRequester = { ...dora(['legal-counsel']), onBehalfOf: 'rita' };
    expect(refusal(approve(amendment(), delegateOfRequester, minutes(1)))).toMatchObject({
      code: 'own-request',
    });
  });
});
