import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import {
  DecisionProposed,
  exampleDecisionProposed,
  newEvent,
  PartyKind,
  PlatformEvent,
  Topic,
  TOPIC_SPECS,
} from '@oversight/contracts';
import { DEVELOPMENT_JWT_SECRET, issueToken } from '@oversight/auth';
import { ControlClient } from '@oversight/control';
import { createProducer, ensureTopics, EventPublisher } from '@oversight/messaging';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import {
  dropTestDatabase,
  eventually,
  reviewRequest,
  ServiceProcess,
  testDatabaseUri,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@oversight/testing';

/**
 * Human review end to end: scoring, routing and escalation as their own processes on the real broker and
 * store; proposals go in on Kafka, people act through escalation's HTTP API with signed tokens, and the
 * outcomes are read back from Kafka.
 */
describe('human review (scoring → routing → escalation → audit, and the gateway, as processes)', () => {
  const runId = uniqueName('run');
  const policyId = uniqueName('ref');
  const databaseUri = testDatabaseUri('review');
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const env = {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    MONGODB_URI: databaseUri,
    POLICY_ID: policyId,
    SCORING_CONSUMER_GROUP: `scoring-${runId}`,
    ROUTING_CONSUMER_GROUP: `routing-${runId}`,
    ESCALATION_CONSUMER_GROUP: `escalation-${runId}`,
    AUDIT_CONSUMER_GROUP: `audit-${runId}`,
    ESCALATION_PORT: String(port),
    TIMER_POLL_MS: '250',
    OUTBOX_GRACE_MS: '1000',
    LOG_LEVEL: 'log',
  };
  const scoring = new ServiceProcess('scoring', env);
  const routing = new ServiceProcess('routing', env);
  const escalation = new ServiceProcess('escalation', env);
  // The audit trail gives the gateway a task's timeline and its subject's history.
  const audit = new ServiceProcess('audit', env);
  const gatewayPort = port + 1;
  const gateway = new ServiceProcess('gateway', {
    ...env,
    GATEWAY_PORT: String(gatewayPort),
    ESCALATION_URL: `http://127.0.0.1:${port}`,
  });

  let producer: Producer;
  let publisher: EventPublisher;
  const recorders: Record<string, TopicRecorder> = {};

  const people: Record<string, string[]> = {
    rita: ['reviewer', 'legal-counsel'],
    lena: ['reviewer', 'legal-counsel'],
    lars: ['reviewer', 'legal-counsel'],
    fiona: ['reviewer', 'finance-director'],
    sam: ['reviewer', 'billing-specialist'],
    sue: ['reviewer', 'billing-supervisor'],
    bob: ['reviewer', 'billing-supervisor'],
    olga: ['reviewer', 'oversight-lead'],
    otis: ['reviewer', 'oversight-officer'],
    mia: ['reviewer', 'ap-manager'],
    max: ['reviewer', 'ap-manager'],
    cody: ['reviewer', 'ap-clerk'],
    dora: ['reviewer', 'legal-counsel'],
    ada: ['admin'],
  };
  const tokens: Record<string, string> = {};

  const api = (who: string, method: string, path: string, body?: unknown) =>
    call(who, method, `/v1/review-tasks${path}`, body);
  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  const propose = async (fields: Partial<DecisionProposed>) => {
    const decisionId = uniqueName('dec');
    await publisher.publish(
      Topic.DecisionProposed,
      newEvent('DecisionProposed', {
        decisionId,
        producer: 'e2e-agent',
        payload: exampleDecisionProposed(fields),
      }),
    );
    return decisionId;
  };

  /** A decision's events on a topic, each once: delivery is at least once, and consumers dedupe by eventId. */
  const eventsOn = (topic: string, decisionId: string) => {
    const events = recorders[topic]
      .withKey(decisionId)
      .map((m) => JSON.parse(m.message.value!.toString()) as PlatformEvent);
    return [...new Map(events.map((event) => [event.eventId, event])).values()];
  };

  const taskOf = (who: string, decisionId: string) =>
    eventually(
      async () => {
        const { status, body } = await api(who, 'GET', `/${decisionId}`);
        if (status !== 200) throw new Error(`no task yet for ${decisionId} (${status})`);
        return body;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

  const usd = (value: number) => ({ value, currency: 'USD' });

  beforeAll(async () => {
    const kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    producer = createProducer(kafka);
    await producer.connect();
    publisher = new EventPublisher(producer);
    const control = new ControlClient(publisher, 'e2e-operator');
    await control.resume('*', 'e2e start', 'e2e-operator');
    await control.resume('telecom-billing', 'e2e start', 'e2e-operator');
    await control.publishPolicy({ ...loadPolicyFile(REFERENCE_POLICY_FILE), policyId }, 'e2e-operator');
    for (const topic of [
      Topic.ActionApproved,
      Topic.DecisionRejected,
      Topic.ReviewActivity,
      Topic.DelegationChanged,
    ]) {
      recorders[topic] = await new TopicRecorder(kafka, topic).start();
    }
    for (const [subject, roles] of Object.entries(people)) {
      tokens[subject] = await issueToken(
        { secret: DEVELOPMENT_JWT_SECRET, issuer: 'oversight', audience: 'oversight-api' },
        { subject, roles, kind: 'user' },
        '1h',
      );
    }
    await Promise.all([scoring.start(), routing.start(), escalation.start(), audit.start(), gateway.start()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([scoring.stop(), routing.stop(), escalation.stop(), audit.stop(), gateway.stop()]);
    await Promise.all(Object.values(recorders).map((recorder) => recorder.stop()));
    await producer?.disconnect();
    await dropTestDatabase(databaseUri);
  });

  it('needs two distinct qualified approvers for the $1.2M amendment, one a finance director, and approves it once', async () => {
    const decisionId = await propose({
      businessFunction: 'contract-management',
      actionType: 'contract-amendment',
      amount: usd(1_200_000),
      confidence: 0.55,
      reversibility: 'irreversible' as never,
      requester: { kind: PartyKind.User, id: 'rita' },
    });
    const task = await taskOf('lena', decisionId);
    expect(task).toMatchObject({
      tier: 'critical',
      quorum: { given: 0, required: 2 },
      seniorRole: 'finance-director',
    });
    expect(task.youMay.approve).toBe(true);

    const own = await api('rita', 'POST', `/${decisionId}/approve`, {});
    expect(own.status).toBe(409);
    expect(own.body.message).toContain('you requested this action');

    const notQualified = await api('sam', 'POST', `/${decisionId}/approve`, {});
    expect(notQualified.status).toBe(403);

    expect(
      (await api('lena', 'POST', `/${decisionId}/approve`, { comment: 'terms checked' })).body,
    ).toMatchObject({
      status: 'open',
      quorum: { given: 1, required: 2 },
    });
    const twice = await api('lena', 'POST', `/${decisionId}/approve`, {});
    expect(twice).toMatchObject({ status: 409, body: { code: 'already-approved' } });
    const notSenior = await api('lars', 'POST', `/${decisionId}/approve`, {});
    expect(notSenior).toMatchObject({ status: 409, body: { code: 'senior-required' } });
    expect((await api('fiona', 'POST', `/${decisionId}/approve`, {})).body).toMatchObject({
      status: 'approved',
    });

    const approved = await eventually(() => {
      const events = eventsOn(Topic.ActionApproved, decisionId);
      if (events.length === 0) throw new Error('no ActionApproved yet');
      return events;
    });
    expect(approved).toHaveLength(1);
    expect(approved[0].payload).toMatchObject({
      mode: 'human',
      approvers: [
        { id: 'lena', roles: people.lena },
        { id: 'fiona', roles: people.fiona },
      ],
    });
    const acts = eventsOn(Topic.ReviewActivity, decisionId).map((e) => (e.payload as { act: string }).act);
    expect(acts).toEqual(['opened', 'approved', 'approved']);
  });

  it('refuses a reviewer over their authority, saying so', async () => {
    const decisionId = await propose({ actionType: 'dispute-credit', amount: usd(4000) });
    const task = await taskOf('sue', decisionId);
    expect(task.eligibleRoles).toEqual(['billing-supervisor']);
    const over = await api('sam', 'POST', `/${decisionId}/approve`, {});
    expect(over.status).toBe(409);
    expect(over.body.message).toBe(
      'this action moves 4,000 USD, over your authority (billing-specialist may approve up to 1,000 USD)',
    );
    expect((await api('sam', 'GET', `/${decisionId}`)).body.youMay.approve).toBe(over.body.message);
  });

  it('yields one ActionApproved when two people approve at the same moment', async () => {
    const decisionId = await propose({ actionType: 'dispute-credit', amount: usd(150) });
    await taskOf('sue', decisionId);
    const answers = await Promise.all([
      api('sue', 'POST', `/${decisionId}/approve`, {}),
      api('bob', 'POST', `/${decisionId}/approve`, {}),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.code).toBe('already-decided');
    await eventually(() => expect(eventsOn(Topic.ActionApproved, decisionId)).toHaveLength(1));
    // Nothing more arrives later (a second publish would come within the outbox grace period).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(eventsOn(Topic.ActionApproved, decisionId)).toHaveLength(1);
  });

  it('scores an edited action again and raises the quorum when its risk rose', async () => {
    const decisionId = await propose({
      businessFunction: 'finance-ap',
      actionType: 'invoice-posting',
      amount: usd(800),
      confidence: 0.95,
      parameters: { invoiceId: 'INV-77', receiptMissing: true },
    });
    const before = await taskOf('mia', decisionId);
    expect(before).toMatchObject({ tier: 'high', quorum: { required: 1 } });

    // The invoice was keyed with two zeros missing: the real amount makes it critical, which needs two people.
    const edited = await api('mia', 'POST', `/${decisionId}/edit`, {
      parameters: { ...before.proposal.parameters, lines: 12 },
      amount: usd(150_000),
      comment: 'amount corrected from the scanned invoice',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      tier: 'critical',
      status: 'open',
      quorum: { given: 1, required: 2 },
    });
    expect(edited.body.eligibleRoles).toEqual(['ap-manager']);
    expect((await api('cody', 'POST', `/${decisionId}/approve`, {})).body.code).toBe('over-authority');
    expect((await api('max', 'POST', `/${decisionId}/approve`, {})).body.status).toBe('approved');

    const [approved] = await eventually(() => {
      const events = eventsOn(Topic.ActionApproved, decisionId);
      if (!events.length) throw new Error('not approved yet');
      return events;
    });
    expect(approved.payload).toMatchObject({
      tier: 'critical',
      proposal: { amount: usd(150_000), parameters: { lines: 12, receiptMissing: true } },
      approvers: [{ id: 'mia' }, { id: 'max' }],
    });
    const edit = eventsOn(Topic.ReviewActivity, decisionId).find(
      (e) => (e.payload as { act: string }).act === 'edited',
    );
    expect(edit?.payload).toMatchObject({
      amount: usd(150_000),
      rescore: { tier: 'critical', approvalsRequired: 2 },
    });
  });

  it('rejects with a reason code and comment, and answers 400 naming the field when they are missing', async () => {
    const decisionId = await propose({ actionType: 'dispute-credit', amount: usd(150) });
    await taskOf('sam', decisionId);
    const invalid = await api('sam', 'POST', `/${decisionId}/reject`, { reasonCode: 'because' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'reasonCode' }),
        expect.objectContaining({ field: 'comment' }),
      ]),
    );
    const rejected = await api('sam', 'POST', `/${decisionId}/reject`, {
      reasonCode: 'incorrect-data',
      comment: 'the charge was already refunded in October',
    });
    expect(rejected.body.status).toBe('rejected');
    const [event] = await eventually(() => {
      const events = eventsOn(Topic.DecisionRejected, decisionId);
      if (!events.length) throw new Error('not rejected yet');
      return events;
    });
    expect(event.payload).toMatchObject({
      mode: 'human',
      reasonCode: 'incorrect-data',
      rejectedBy: [{ id: 'sam' }],
    });
    expect((await api('sue', 'POST', `/${decisionId}/approve`, {})).status).toBe(409);
    expect((await api('sue', 'GET', `/${uniqueName('missing')}`)).status).toBe(404);
    const oversized = await fetch(`http://127.0.0.1:${port}/v1/review-tasks/${decisionId}/comment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.sam}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(300 * 1024) }),
    });
    expect(oversized.status).toBe(413);
    expect((await api('ada', 'GET', `/${decisionId}`)).status).toBe(403);
  });

  it('moves a decided task out of the open tasks; its view still answers and a redelivered request does not reopen it', async () => {
    const decisionId = uniqueName('dec');
    const request = reviewRequest(
      decisionId,
      policyId,
      { amount: usd(300) },
      { requestedAgoMs: 0, dueInMs: 3_600_000 },
    );
    await publisher.publish(Topic.ReviewRequested, request);
    await taskOf('otis', decisionId);
    expect((await api('otis', 'POST', `/${decisionId}/approve`, {})).body).toMatchObject({
      status: 'approved',
    });

    // The open tasks are what the queue, the sweeps and every head update read: a decided task leaves them.
    const store = new MongoClient(databaseUri);
    await store.connect();
    try {
      const db = store.db();
      await eventually(async () => {
        if (await db.collection('review_tasks').findOne({ _id: decisionId as never }))
          throw new Error('the decided task is still among the open ones');
      });
      expect(await db.collection('review_tasks_closed').findOne({ _id: decisionId as never })).toMatchObject({
        task: { status: 'approved' },
      });
    } finally {
      await store.close();
    }
    expect((await api('otis', 'GET', `/${decisionId}`)).body).toMatchObject({ status: 'approved' });

    // The same request again (a redelivery) and a second request for the decision (a retrying router).
    const again = newEvent('ReviewRequested', { decisionId, producer: 'routing', payload: request.payload });
    await publisher.publish(Topic.ReviewRequested, request, again);
    await eventually(() => {
      const seen = escalation.output
        .split('\n')
        .some((line) => line.includes('already had tasks') && line.includes(decisionId));
      if (!seen) throw new Error('escalation has not seen the repeated requests yet');
    });
    const acts = eventsOn(Topic.ReviewActivity, decisionId).map((e) => (e.payload as { act: string }).act);
    expect(acts).toEqual(['opened', 'approved']);
    expect(eventsOn(Topic.ActionApproved, decisionId)).toHaveLength(1);
    expect((await api('otis', 'GET', `/${decisionId}`)).body).toMatchObject({ status: 'approved' });
    const queue = (await api('otis', 'GET', '?limit=200')).body as unknown as { decisionId: string }[];
    expect(queue.map((task) => task.decisionId)).not.toContain(decisionId);
  });

  it('lists a task whose request names no authority limits, and keeps the queue answering', async () => {
    // Authority is optional in ReviewRequested: a router of an earlier version sends none, which is an empty
    // set of limits, not a broken task (mongoose once dropped the empty object and the queue answered 500).
    const decisionId = uniqueName('dec');
    const { authority: _authority, ...payload } = reviewRequest(
      decisionId,
      policyId,
      { amount: usd(300) },
      { requestedAgoMs: 0, dueInMs: 3_600_000 },
    ).payload;
    await publisher.publish(
      Topic.ReviewRequested,
      newEvent('ReviewRequested', { decisionId, producer: 'e2e-routing', payload }),
    );
    await taskOf('otis', decisionId);
    const { status, body } = await api('otis', 'GET', '?limit=200');
    expect(status).toBe(200);
    expect((body as unknown as { decisionId: string }[]).map((task) => task.decisionId)).toContain(
      decisionId,
    );
    // Who may approve was settled by routing (eligibleRoles); the task is worked as any other.
    expect((await api('otis', 'POST', `/${decisionId}/approve`, {})).body).toMatchObject({
      status: 'approved',
    });
  });

  it('keeps every task and fires due timers after a crash: escalation at the SLA, the default at the end', async () => {
    // Requests sent straight to the review topic, timed as if made 40 s ago with a 50 s SLA and one escalation
    // step at one minute: the step falls due 20 s from now, the final timeout 70 s from now.
    const now = Date.now();
    const timing = () => ({
      requestedAgoMs: Date.now() - (now - 40_000),
      dueInMs: now + 10_000 - Date.now(),
    });
    const request = (
      decisionId: string,
      fields: Partial<DecisionProposed>,
      onTimeout: 'reject' | 'approve',
    ) => reviewRequest(decisionId, policyId, fields, timing(), onTimeout);
    const money = uniqueName('dec');
    const stopWork = uniqueName('dec');
    const closure = uniqueName('dec');
    const whileDown = uniqueName('dec');

    await publisher.publish(
      Topic.ReviewRequested,
      request(money, { amount: usd(900) }, 'approve'),
      request(
        stopWork,
        { businessFunction: 'construction-safety', actionType: 'stop-work', amount: undefined },
        'approve',
      ),
      request(
        closure,
        { businessFunction: 'customer-accounts', actionType: 'account-closure', amount: undefined },
        'reject',
      ),
    );
    for (const decisionId of [money, stopWork, closure]) await taskOf('otis', decisionId);

    await escalation.stop('SIGKILL');
    await publisher.publish(Topic.ReviewRequested, request(whileDown, { amount: usd(50) }, 'reject'));
    // The escalation step falls due while the service is down.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, now + 22_000 - Date.now())));
    await escalation.start();

    const escalated = await eventually(
      async () => {
        const task = await taskOf('olga', closure);
        expect(task.escalationLevel).toBe(1);
        return task;
      },
      { timeoutMs: 30_000 },
    );
    expect(escalated.eligibleRoles).toContain('oversight-lead');
    expect(escalated.youMay.approve).toBe(true);
    // Published while the service was down: not lost.
    expect((await taskOf('otis', whileDown)).status).toBe('open');

    const outcome = (decisionId: string) =>
      eventually(
        () => {
          const [event] = [
            ...eventsOn(Topic.ActionApproved, decisionId),
            ...eventsOn(Topic.DecisionRejected, decisionId),
          ];
          if (!event) throw new Error(`no outcome yet for ${decisionId}`);
          return event;
        },
        { timeoutMs: 90_000, intervalMs: 500 },
      );
    expect(await outcome(closure)).toMatchObject({
      type: 'DecisionRejected',
      payload: { mode: 'timeout-default' },
    });
    expect(await outcome(stopWork)).toMatchObject({
      type: 'ActionApproved',
      payload: { mode: 'timeout-default' },
    });
    const silentMoney = await outcome(money);
    expect(silentMoney).toMatchObject({ type: 'DecisionRejected', payload: { reasonCode: 'timeout' } });
    expect((silentMoney.payload as { comment: string }).comment).toContain(
      'money is never approved by silence',
    );
    // The SLA warning falls due at once; whether it fires before the crash is a race, and past the SLA it is skipped.
    const acts = eventsOn(Topic.ReviewActivity, closure)
      .map((e) => (e.payload as { act: string }).act)
      .filter((act) => act !== 'sla-warning');
    expect(acts).toEqual(['opened', 'escalated', 'expired']);
    expect((await api('olga', 'POST', `/${closure}/approve`, {})).body.code).toBe('already-decided');
  }, 180_000);

  it('lets a delegate act for an absent approver, within her own authority, until the delegation is revoked', async () => {
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const granted = await call('fiona', 'POST', '/v1/delegations', {
      delegate: 'dora',
      roles: ['finance-director'],
      until,
      reason: 'annual leave',
    });
    expect(granted.status).toBe(201);
    const toSam = await call('fiona', 'POST', '/v1/delegations', { delegate: 'sam', until, reason: 'cover' });
    expect(toSam.status).toBe(201);
    const foreign = await call('fiona', 'POST', '/v1/delegations', {
      delegate: 'dora',
      roles: ['ap-manager'],
      until,
      reason: 'x',
    });
    expect(foreign).toMatchObject({ status: 409, body: { code: 'delegation-refused' } });

    const decisionId = await propose({
      businessFunction: 'contract-management',
      actionType: 'contract-amendment',
      amount: usd(1_200_000),
      confidence: 0.55,
      reversibility: 'irreversible' as never,
      requester: { kind: PartyKind.User, id: 'rita' },
    });
    await taskOf('lena', decisionId);
    await api('lena', 'POST', `/${decisionId}/approve`, {});
    expect((await api('lars', 'POST', `/${decisionId}/approve?onBehalfOf=fiona`, {})).status).toBe(403);
    const capped = await api('sam', 'POST', `/${decisionId}/approve?onBehalfOf=fiona`, {});
    expect(capped).toMatchObject({ status: 409, body: { code: 'over-authority' } });
    expect(capped.body.message).toContain('as delegate of fiona you may approve only up to your own limit');
    const byDelegate = await api('dora', 'POST', `/${decisionId}/approve?onBehalfOf=fiona`, {});
    expect(byDelegate.body.status).toBe('approved');
    const [approved] = await eventually(() => {
      const events = eventsOn(Topic.ActionApproved, decisionId);
      if (!events.length) throw new Error('not approved yet');
      return events;
    });
    expect(approved.payload).toMatchObject({
      approvers: [{ id: 'lena' }, { id: 'dora', onBehalfOf: 'fiona', roles: ['finance-director'] }],
    });

    const delegationId = granted.body.delegationId;
    expect(
      (await call('dora', 'POST', `/v1/delegations/${delegationId}/revoke`, { reason: 'x' })).status,
    ).toBe(403);
    expect(
      (await call('fiona', 'POST', `/v1/delegations/${delegationId}/revoke`, { reason: 'back early' }))
        .status,
    ).toBe(200);
    const next = await propose({ actionType: 'dispute-credit', amount: usd(150) });
    await taskOf('sue', next);
    expect((await api('dora', 'POST', `/${next}/approve?onBehalfOf=fiona`, {})).status).toBe(403);

    // Both changes are in the trail, keyed by the delegator.
    await eventually(() => {
      const changes = recorders[Topic.DelegationChanged]
        .withKey('delegation/fiona')
        .map((m) => JSON.parse(m.message.value!.toString()).payload)
        .filter((p) => p.delegationId === delegationId);
      expect(changes.map((p) => [p.change, p.by, p.reason])).toEqual([
        ['granted', 'fiona', 'annual leave'],
        ['revoked', 'fiona', 'back early'],
      ]);
    });
  });

  it('is worked through the gateway too: the task with its context, acts and refusals passed through', async () => {
    const subject = { kind: 'customer', id: uniqueName('cust') };
    const earlier = await propose({ amount: usd(12), subject });
    const decisionId = await propose({ actionType: 'dispute-credit', amount: usd(150), subject });
    await taskOf('sue', decisionId);
    const viaGateway = (who: string, method: string, path: string, body?: unknown) =>
      fetch(`http://127.0.0.1:${gatewayPort}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));

    const context = await eventually(async () => {
      const answer = await viaGateway('sue', 'GET', `/v1/review-tasks/${decisionId}`);
      expect(answer.status).toBe(200);
      expect(answer.body.subjectHistory.map((d: { _id: string }) => d._id)).toContain(earlier);
      expect(answer.body.timeline.map((t: { event: { type: string } }) => t.event.type)).toContain(
        'ReviewRequested',
      );
      return answer.body;
    });
    expect(context.task).toMatchObject({ decisionId, tier: 'medium', youMay: { approve: true } });
    expect(context.subjectHistory.find((d: { _id: string }) => d._id === earlier)).toMatchObject({
      state: 'approved',
    });

    const queue = await viaGateway('sue', 'GET', '/v1/review-tasks?function=telecom-billing&limit=500');
    expect(queue.body.map((t: { decisionId: string }) => t.decisionId)).toContain(decisionId);
    const unknownAct = await viaGateway('sue', 'POST', `/v1/review-tasks/${decisionId}/bless`, {});
    expect(unknownAct.status).toBe(404);
    const invalid = await viaGateway('sue', 'POST', `/v1/review-tasks/${decisionId}/reject`, {});
    expect(invalid.status).toBe(400);
    expect(new Set(invalid.body.problems.map((p: { field: string }) => p.field))).toEqual(
      new Set(['reasonCode', 'comment']),
    );
    expect((await viaGateway('ada', 'GET', '/v1/review-tasks')).status).toBe(403);
    expect((await viaGateway('sue', 'POST', `/v1/review-tasks/${decisionId}/approve`, {})).body.status).toBe(
      'approved',
    );
    const again = await viaGateway('bob', 'POST', `/v1/review-tasks/${decisionId}/approve`, {});
    expect(again).toMatchObject({ status: 409, body: { code: 'already-decided' } });
  });

  it('answers 401 without a valid token', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/v1/review-tasks`, {
      headers: { authorization: `Bearer ${randomUUID()}` },
    });
    expect(response.status).toBe(401);
  });
});
