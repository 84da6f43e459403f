import { MongoClient } from 'mongodb';
import { DEVELOPMENT_JWT_SECRET, issueToken } from '@oversight/auth';
import { exampleDecisionProposed, Reversibility, TOPIC_SPECS } from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { createProducer, ensureTopics, EventPublisher } from '@oversight/messaging';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import { DecisionSubmission, OversightClient } from '@oversight/sdk';
import { dropTestDatabase, eventually, PlatformProcesses, testKafka, uniqueName } from '@oversight/testing';
import { Producer } from 'kafkajs';

const usd = (value: number) => ({ value, currency: 'USD' });

/**
 * The whole loop as an upstream system and an executor see it: decisions submitted through the SDK's client,
 * scored, routed, reviewed by people through the gateway, carried out by the demo executor (built on the SDK)
 * against its ledger, and `awaitOutcome` answering for each way a decision can end.
 */
describe('closed loop: SDK client → platform → demo executor (all processes, real broker and store)', () => {
  const platform = new PlatformProcesses(
    ['scoring', 'routing', 'escalation', 'audit', 'gateway', 'demo-executor'],
    {
      EXECUTOR_FAILURE_RATE: '0',
    },
  );
  let producer: Producer;
  let mongo: MongoClient;
  let client: OversightClient;

  const tokenOf = (subject: string, roles: string[]) =>
    issueToken(
      { secret: DEVELOPMENT_JWT_SECRET, issuer: 'oversight', audience: 'oversight-api' },
      { subject, roles, kind: 'user' },
      '10m',
    );

  /** A reviewer's act through the gateway, once the task is there. */
  async function act(reviewer: string, roles: string[], decisionId: string, verb: string, body: object) {
    const token = await tokenOf(reviewer, ['reviewer', ...roles]);
    const url = `${platform.gatewayUrl}/v1/review-tasks/${decisionId}`;
    await eventually(
      async () =>
        expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const response = await fetch(`${url}/${verb}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  const submit = (fields: Partial<DecisionSubmission>) => {
    const { requester: _requester, ...proposal } = exampleDecisionProposed();
    return client.submit({ decisionId: uniqueName('dec'), ...proposal, ...fields });
  };

  const ledgerOf = (decisionId: string) =>
    mongo.db().collection('demo_ledger').find({ decisionId }).toArray();

  beforeAll(async () => {
    const kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    producer = createProducer(kafka);
    await producer.connect();
    const control = new ControlClient(new EventPublisher(producer), 'e2e-operator');
    await control.resume('*', 'closed-loop e2e start', 'e2e-operator');
    await control.resume('telecom-billing', 'closed-loop e2e start', 'e2e-operator');
    // Network changes close after one minute with nobody deciding, so the suite can see one expire.
    const reference = loadPolicyFile(REFERENCE_POLICY_FILE);
    const networkChange = reference.functions['network-ops'].actions['config-change'];
    await control.publishPolicy(
      {
        ...reference,
        policyId: platform.policyId,
        functions: {
          ...reference.functions,
          'network-ops': {
            ...reference.functions['network-ops'],
            actions: {
              'config-change': {
                ...networkChange,
                review: { ...networkChange.review!, slaMinutes: 1, escalation: [] },
              },
            },
          },
        },
      },
      'e2e-operator',
    );
    mongo = new MongoClient(platform.databaseUri);
    await mongo.connect();
    await platform.start();
    client = new OversightClient({
      gatewayUrl: platform.gatewayUrl,
      token: await tokenOf('billing-portal', ['upstream']),
    });
  }, 180_000);

  afterAll(async () => {
    await platform.stop();
    await producer?.disconnect();
    await mongo?.close();
    await dropTestDatabase(platform.databaseUri);
  });

  it('answers for every way a decision ends, and carries out what was approved exactly once', async () => {
    // The expiring one first: nobody will decide it, and its review closes a minute after it is routed.
    const expiring = await submit({
      businessFunction: 'network-ops',
      actionType: 'config-change',
      amount: undefined,
      parameters: { element: 'edge-router-7', change: 'raise MTU to 9000', rollbackPlan: true },
    });
    const auto = await submit({});
    const disputed = await submit({ actionType: 'dispute-credit', amount: usd(150) });
    const closure = await submit({
      businessFunction: 'customer-accounts',
      actionType: 'account-closure',
      amount: undefined,
      parameters: { accountId: 'ACC-77', finalBillBalance: 0 },
    });
    const critical = await submit({
      amount: usd(500),
      confidence: 0.1,
      reversibility: Reversibility.Irreversible,
    });

    expect(await client.awaitOutcome(auto.decisionId, 60_000)).toMatchObject({
      outcome: 'approved',
      mode: 'auto',
    });
    expect(await client.awaitOutcome(critical.decisionId, 60_000)).toMatchObject({
      outcome: 'blocked',
      reasons: [expect.stringContaining('critical')],
    });

    await act('bella', ['billing-specialist'], disputed.decisionId, 'approve', {
      comment: 'charge never ordered',
    });
    expect(await client.awaitOutcome(disputed.decisionId, 60_000)).toMatchObject({
      outcome: 'approved',
      mode: 'human',
      approvedBy: ['bella'],
    });

    await act('ada', ['account-manager'], closure.decisionId, 'reject', {
      reasonCode: 'other',
      comment: 'the customer accepted a retention offer',
    });
    expect(await client.awaitOutcome(closure.decisionId, 60_000)).toEqual({
      outcome: 'rejected',
      decisionId: closure.decisionId,
      rejectedBy: ['ada'],
      reasonCode: 'other',
    });

    // The executor reported both approved actions, and booked each once.
    for (const { decisionId } of [auto, disputed]) {
      await eventually(
        async () =>
          expect(await client.status(decisionId)).toMatchObject({
            status: 'executed',
            execution: { attempts: 1 },
          }),
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      expect(await ledgerOf(decisionId)).toEqual([
        expect.objectContaining({ kind: 'credit', reference: 'ACC-10442' }),
      ]);
    }
    expect(await ledgerOf(closure.decisionId)).toEqual([]);
    expect(await ledgerOf(critical.decisionId)).toEqual([]);

    expect(await client.awaitOutcome(expiring.decisionId, 150_000)).toEqual({
      outcome: 'expired',
      decisionId: expiring.decisionId,
      defaultApplied: 'rejected',
      reasonCode: 'timeout',
    });
    expect(await ledgerOf(expiring.decisionId)).toEqual([]);
  }, 240_000);

  /** A person's call on the gateway's resolve API. */
  async function resolve(person: string, roles: string[], decisionId: string, verb: string, body: object) {
    const token = await tokenOf(person, ['reviewer', ...roles]);
    const response = await fetch(`${platform.gatewayUrl}/v1/resolve-tasks/${decisionId}/${verb}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  const statusBecomes = (decisionId: string, status: string) =>
    eventually(
      async () => {
        const found = await client.status(decisionId);
        expect(found?.status).toBe(status);
        return found!;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

  it('hands an action that failed for good to a person, who corrects it and has it carried out', async () => {
    const owes = await submit({
      businessFunction: 'customer-accounts',
      actionType: 'account-closure',
      amount: undefined,
      parameters: { accountId: 'ACC-78', finalBillBalance: 40 },
    });
    await act('ada', ['account-manager'], owes.decisionId, 'approve', { comment: 'customer asked twice' });
    const failed = await statusBecomes(owes.decisionId, 'execution-failed');
    expect(failed.execution).toMatchObject({ attempts: 1, lastError: 'balance-outstanding' });
    expect(await ledgerOf(owes.decisionId)).toEqual([]);

    // The resolve task carries what the executor saw.
    const token = await tokenOf('ada', ['reviewer', 'account-manager']);
    const opened = await eventually(async () => {
      const response = await fetch(`${platform.gatewayUrl}/v1/resolve-tasks/${owes.decisionId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { task: Record<string, any>; timeline: unknown[] };
    });
    expect(opened.task).toMatchObject({
      status: 'open',
      failedAttempt: 1,
      error: { code: 'balance-outstanding' },
      context: { finalBillBalance: 40, parameters: { accountId: 'ACC-78' } },
      youMay: { resolve: true },
    });

    // Nobody outside the function's reviewers and supervisors may resolve it; a comment is required.
    expect(
      (await resolve('nina', ['network-engineer'], owes.decisionId, 'retry', { comment: 'x' })).status,
    ).toBe(403);
    const noComment = await resolve('ada', ['account-manager'], owes.decisionId, 'retry', {});
    expect(noComment.status).toBe(400);
    expect(new Set(noComment.body.problems.map((problem: { field: string }) => problem.field))).toEqual(
      new Set(['comment']),
    );

    const retried = await resolve('ada', ['account-manager'], owes.decisionId, 'retry', {
      parameters: { accountId: 'ACC-78', finalBillBalance: 0 },
      comment: 'final bill settled by card on the phone',
    });
    expect(retried).toMatchObject({ status: 200, body: { status: 'retrying' } });
    const resolved = await statusBecomes(owes.decisionId, 'resolved');
    expect(resolved.execution).toMatchObject({ attempts: 2, retryRequestedBy: 'ada' });
    expect(await ledgerOf(owes.decisionId)).toEqual([expect.objectContaining({ kind: 'account-closure' })]);
    expect(await client.awaitOutcome(owes.decisionId)).toMatchObject({
      outcome: 'approved',
      approvedBy: ['ada'],
      execution: { state: 'resolved', attempts: 2 },
    });
    // Settled: a second retry is refused with the reason.
    const again = await resolve('ada', ['account-manager'], owes.decisionId, 'retry', { comment: 'again' });
    expect(again).toMatchObject({ status: 409, body: { code: 'not-open' } });
  });

  it('records a person giving up on a failed action, and sends a riskier correction back through review', async () => {
    // $12 refunds run on their own; without an account the ledger cannot book them.
    const givenUp = await submit({ parameters: { invoiceId: 'INV-1' } });
    const riskier = await submit({ parameters: { invoiceId: 'INV-2' } });
    await statusBecomes(givenUp.decisionId, 'execution-failed');
    await statusBecomes(riskier.decisionId, 'execution-failed');

    const abandoned = await eventually(async () => {
      const answer = await resolve('bella', ['billing-specialist'], givenUp.decisionId, 'abandon', {
        reasonCode: 'done-by-hand',
        comment: 'credited by hand in the billing system',
      });
      expect(answer.status).toBe(200);
      return answer.body;
    });
    expect(abandoned).toMatchObject({ status: 'abandoned' });
    expect((await statusBecomes(givenUp.decisionId, 'abandoned')).execution).toMatchObject({
      abandonedBy: 'bella',
      abandonReason: 'done-by-hand',
    });

    const corrected = await eventually(async () => {
      const answer = await resolve('bella', ['billing-specialist'], riskier.decisionId, 'retry', {
        parameters: { invoiceId: 'INV-2', accountId: 'ACC-10442' },
        amount: usd(900),
        comment: 'the whole charge, not just the fee',
      });
      expect(answer.status).toBe(200);
      return answer.body;
    });
    expect(corrected).toMatchObject({ status: 'abandoned', resubmittedAs: `${riskier.decisionId}.r2` });
    expect((await statusBecomes(riskier.decisionId, 'abandoned')).execution).toMatchObject({
      resubmittedAs: `${riskier.decisionId}.r2`,
    });
    // The correction is a new decision, proposed by bella, waiting for a reviewer; nothing was booked.
    const resubmitted = await statusBecomes(`${riskier.decisionId}.r2`, 'awaiting-review');
    expect(resubmitted).toMatchObject({ proposal: { requesterId: 'bella', amount: { value: 900 } } });
    expect(await ledgerOf(riskier.decisionId)).toEqual([]);
  });

  it('lets a supervisor reverse what ran on its own: the executor compensates once and the decision ends reversed', async () => {
    const reverse = async (person: string, roles: string[], decisionId: string, body: object) => {
      const response = await fetch(`${platform.gatewayUrl}/v1/decisions/${decisionId}/reversal`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await tokenOf(person, roles)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const refund = await submit({});
    const disputed = await submit({ actionType: 'dispute-credit', amount: usd(150) });
    await act('bella', ['billing-specialist'], disputed.decisionId, 'approve', {
      comment: 'charge never ordered',
    });
    await statusBecomes(refund.decisionId, 'executed');
    await statusBecomes(disputed.decisionId, 'executed');

    expect(
      (await reverse('bella', ['reviewer', 'billing-specialist'], refund.decisionId, { comment: 'x' }))
        .status,
    ).toBe(403);
    expect(await reverse('vera', ['supervisor'], refund.decisionId, {})).toMatchObject({
      status: 400,
      body: { problems: expect.arrayContaining([expect.objectContaining({ field: 'comment' })]) },
    });
    // What people approved is not undone from the loop.
    expect(await reverse('vera', ['supervisor'], disputed.decisionId, { comment: 'x' })).toMatchObject({
      status: 409,
      body: { code: 'not-auto' },
    });

    expect(
      await reverse('vera', ['supervisor'], refund.decisionId, { comment: 'refund fraud ring' }),
    ).toMatchObject({
      status: 202,
      body: { decisionId: refund.decisionId },
    });
    const reversed = await statusBecomes(refund.decisionId, 'reversed');
    expect(reversed.execution).toMatchObject({ reversalRequestedBy: 'vera' });
    const entries = await ledgerOf(refund.decisionId);
    expect(entries.map((entry) => [entry.kind, entry.amount?.value])).toEqual(
      expect.arrayContaining([
        ['credit', 12],
        ['reversal', -12],
      ]),
    );
    expect(entries).toHaveLength(2);
    expect(await client.awaitOutcome(refund.decisionId)).toMatchObject({
      outcome: 'approved',
      mode: 'auto',
      execution: { state: 'reversed' },
    });
    expect(await reverse('vera', ['supervisor'], refund.decisionId, { comment: 'again' })).toMatchObject({
      status: 409,
      body: { code: 'already-reversed' },
    });
  });

  it('refuses an invalid decision before sending it, naming each field', async () => {
    await expect(submit({ confidence: 3, actionType: 'Not A Slug' })).rejects.toMatchObject({
      name: 'InvalidDecision',
      status: 400,
      problems: expect.arrayContaining([
        expect.objectContaining({ field: 'confidence' }),
        expect.objectContaining({ field: 'actionType' }),
      ]),
    });
  });
});
