import { DEVELOPMENT_JWT_SECRET, issueToken } from '@oversight/auth';
import { exampleDecisionProposed, TOPIC_SPECS } from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { createProducer, ensureTopics, EventPublisher } from '@oversight/messaging';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import { DecisionSubmission, OversightClient } from '@oversight/sdk';
import {
  dropTestDatabase,
  eventually,
  OtlpReceiver,
  PlatformProcesses,
  testKafka,
  uniqueName,
} from '@oversight/testing';
import { Producer } from 'kafkajs';

/** Span kinds in OTLP. */
const SERVER = 2;

/**
 * Traces across the running services: one decision is one trace from the gateway's request through scoring,
 * routing, review and the executor, carried in Kafka headers (W3C trace context).
 */
describe('traces: one decision, one trace across the services (all processes, real broker and store)', () => {
  const receiver = new OtlpReceiver();
  let platform: PlatformProcesses;
  let producer: Producer;
  let client: OversightClient;

  const tokenOf = (subject: string, roles: string[]) =>
    issueToken(
      { secret: DEVELOPMENT_JWT_SECRET, issuer: 'oversight', audience: 'oversight-api' },
      { subject, roles, kind: 'user' },
      '10m',
    );

  const submit = (fields: Partial<DecisionSubmission>) => {
    const { requester: _requester, ...proposal } = exampleDecisionProposed();
    return client.submit({ decisionId: uniqueName('dec'), ...proposal, ...fields });
  };

  const executed = (decisionId: string) =>
    eventually(async () => expect(await client.status(decisionId)).toMatchObject({ status: 'executed' }), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });

  /** The trace a service's span of this decision is in (the consumer spans carry the decision's id). */
  const traceOf = (service: string, decisionId: string) =>
    eventually(
      async () => {
        const span = receiver.spans.find(
          (s) => s.service === service && s.attributes['oversight.decision_id'] === decisionId,
        );
        expect(span).toBeDefined();
        return span!.traceId;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

  const servicesIn = (traceId: string) =>
    new Set(receiver.spans.filter((s) => s.traceId === traceId).map((s) => s.service));

  beforeAll(async () => {
    await receiver.start();
    platform = new PlatformProcesses(
      ['scoring', 'routing', 'escalation', 'audit', 'gateway', 'demo-executor'],
      {
        EXECUTOR_FAILURE_RATE: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        // Export within a quarter second rather than the default five.
        OTEL_BSP_SCHEDULE_DELAY: '250',
      },
    );
    const kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    producer = createProducer(kafka);
    await producer.connect();
    const control = new ControlClient(new EventPublisher(producer), 'e2e-operator');
    await control.resume('*', 'traces e2e start', 'e2e-operator');
    await control.resume('telecom-billing', 'traces e2e start', 'e2e-operator');
    await control.publishPolicy(
      { ...loadPolicyFile(REFERENCE_POLICY_FILE), policyId: platform.policyId },
      'e2e-operator',
    );
    await platform.start();
    client = new OversightClient({
      gatewayUrl: platform.gatewayUrl,
      token: await tokenOf('billing-portal', ['upstream']),
    });
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    await producer?.disconnect();
    await receiver.stop();
    if (platform) await dropTestDatabase(platform.databaseUri);
  });

  it('follows an auto-approved decision from the gateway through scoring and routing to the executor', async () => {
    const auto = await submit({});
    await executed(auto.decisionId);
    const traceId = await traceOf('scoring', auto.decisionId);
    await eventually(
      async () =>
        expect([...servicesIn(traceId)]).toEqual(
          expect.arrayContaining(['gateway', 'scoring', 'routing', 'demo-executor']),
        ),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    // The trace starts at the upstream system's request to the gateway.
    const root = receiver.spans.find(
      (s) => s.traceId === traceId && s.service === 'gateway' && s.kind === SERVER,
    );
    expect(root?.attributes['http.request.method'] ?? root?.attributes['http.method']).toBe('POST');
    expect(await traceOf('demo-executor', auto.decisionId)).toBe(traceId);
    expect(await traceOf('routing', auto.decisionId)).toBe(traceId);
    // Store commands are in it too, each saying what it did in a line, never the documents it carried.
    const statements = receiver.spans
      .filter((s) => s.traceId === traceId && typeof s.attributes['db.query.text'] === 'string')
      .map((s) => s.attributes['db.query.text'] as string);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement).toMatch(/^(find|insert|update|delete|findAndModify|aggregate|count) \S+/);
      expect(statement.length).toBeLessThanOrEqual(200);
    }
  }, 120_000);

  it('keeps a reviewed decision in one trace, the approval linked to the person’s request', async () => {
    const disputed = await submit({ actionType: 'dispute-credit', amount: { value: 150, currency: 'USD' } });
    const traceId = await traceOf('routing', disputed.decisionId);
    expect(await traceOf('escalation', disputed.decisionId)).toBe(traceId);

    const token = await tokenOf('bella', ['reviewer', 'billing-specialist']);
    const url = `${platform.gatewayUrl}/v1/review-tasks/${disputed.decisionId}`;
    await eventually(
      async () =>
        expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const approved = await fetch(`${url}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'charge never ordered' }),
    });
    expect(approved.status).toBe(200);
    await executed(disputed.decisionId);

    // The executor's work is in the decision's trace, not in the person's request's.
    expect(await traceOf('demo-executor', disputed.decisionId)).toBe(traceId);
    const approval = await eventually(
      async () => {
        const span = receiver.spans.find(
          (s) =>
            s.traceId === traceId && s.service === 'escalation' && s.name === 'action.approved.v1 publish',
        );
        expect(span).toBeDefined();
        return span!;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    // Linked to the person's approval, a request of its own trace that went through the gateway.
    expect(approval.links).toHaveLength(1);
    const personTrace = approval.links[0].traceId;
    expect(personTrace).not.toBe(traceId);
    await eventually(
      async () =>
        expect([...servicesIn(personTrace)]).toEqual(expect.arrayContaining(['gateway', 'escalation'])),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }, 180_000);
});
