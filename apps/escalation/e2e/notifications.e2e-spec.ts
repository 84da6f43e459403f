import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Producer } from 'kafkajs';
import { SMTPServer } from 'smtp-server';
import { DecisionProposed, Topic, TOPIC_SPECS } from '@oversight/contracts';
import { DEVELOPMENT_JWT_SECRET, issueToken } from '@oversight/auth';
import { ControlClient } from '@oversight/control';
import { createProducer, ensureTopics, EventPublisher } from '@oversight/messaging';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import {
  dropTestDatabase,
  eventually,
  RequestTiming,
  reviewRequest,
  ServiceProcess,
  testDatabaseUri,
  testKafka,
  uniqueName,
} from '@oversight/testing';
import { verifyWebhookSignature } from '../src/notifications/webhook-signature';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, any>;
}

/** A real HTTP receiver: records every request; `/flaky` answers 503 to the first two deliveries of each id. */
async function startReceiver(): Promise<{ server: http.Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const refusals = new Map<string, number>();
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const delivery = String(request.headers['x-oversight-delivery']);
      if (request.url === '/flaky' && (refusals.get(delivery) ?? 0) < 2) {
        refusals.set(delivery, (refusals.get(delivery) ?? 0) + 1);
        response.writeHead(503).end();
        return;
      }
      received.push({ path: request.url ?? '', headers: request.headers, body, json: JSON.parse(body) });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** A real SMTP server on loopback that keeps every message it is given. */
async function startMailServer(): Promise<{ server: SMTPServer; port: number; mails: string[] }> {
  const mails: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        mails.push(data);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port, mails };
}

/**
 * Notifications end to end: the escalation service as its own process tells reviewers about their tasks through
 * the channels a published policy names, over a real HTTP receiver and a real SMTP server.
 */
describe('review notifications (escalation as a process, real webhook receiver and SMTP server)', () => {
  const runId = uniqueName('run');
  const policyId = uniqueName('ref');
  const databaseUri = testDatabaseUri('notify');
  const port = 20_000 + Math.floor(Math.random() * 2000);
  const secret = 'e2e-webhook-secret-0123456789-abcdef';
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let mail: Awaited<ReturnType<typeof startMailServer>>;
  let escalation: ServiceProcess;
  let producer: Producer;
  let publisher: EventPublisher;

  const request = (decisionId: string, fields: Partial<DecisionProposed>, timing: RequestTiming) =>
    reviewRequest(decisionId, policyId, fields, timing);

  const deliveries = (path: string, decisionId: string, kind?: string) =>
    receiver.received.filter(
      (r) => r.path === path && r.json.decisionId === decisionId && (!kind || r.json.kind === kind),
    );

  beforeAll(async () => {
    receiver = await startReceiver();
    mail = await startMailServer();
    const kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    producer = createProducer(kafka);
    await producer.connect();
    publisher = new EventPublisher(producer);
    const policy = {
      ...loadPolicyFile(REFERENCE_POLICY_FILE),
      policyId,
      notifications: {
        channels: {
          desk: { webhook: { url: `${receiver.url}/desk` } },
          flaky: { webhook: { url: `${receiver.url}/flaky` } },
          mail: { email: { to: ['officers@example.com'] } },
          leads: { webhook: { url: `${receiver.url}/leads` } },
        },
        roles: { 'oversight-officer': ['desk', 'flaky', 'mail'], 'oversight-lead': ['leads'] },
      },
    };
    await new ControlClient(publisher, 'e2e-operator').publishPolicy(policy, 'e2e-operator');
    escalation = new ServiceProcess('escalation', {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      MONGODB_URI: databaseUri,
      POLICY_ID: policyId,
      ESCALATION_CONSUMER_GROUP: `escalation-${runId}`,
      ESCALATION_PORT: String(port),
      TIMER_POLL_MS: '250',
      SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
      NOTIFY_WEBHOOK_SECRET: secret,
      NOTIFY_RETRY_DELAY_MS: '100',
      CONSOLE_URL: 'http://console.test',
    });
    await escalation.start();
  }, 120_000);

  afterAll(async () => {
    await escalation?.stop();
    await producer?.disconnect();
    await new Promise((resolve) => receiver?.server.close(resolve));
    await new Promise((resolve) => mail?.server.close(() => resolve(undefined)));
    await dropTestDatabase(databaseUri);
  });

  it('tells the eligible reviewers of a new task by signed webhook and by email, retrying a failing receiver', async () => {
    const decisionId = uniqueName('dec');
    await publisher.publish(
      Topic.ReviewRequested,
      request(
        decisionId,
        { amount: { value: 640, currency: 'USD' } },
        { requestedAgoMs: 0, dueInMs: 3_600_000 },
      ),
    );
    const [created] = await eventually(
      () => {
        const found = deliveries('/desk', decisionId, 'task-created');
        if (!found.length) throw new Error('no webhook yet');
        return found;
      },
      { timeoutMs: 60_000 },
    );
    expect(
      verifyWebhookSignature(secret, String(created.headers['x-oversight-signature']), created.body),
    ).toBe(true);
    expect(
      verifyWebhookSignature(
        'another-secret-of-at-least-32-chars!',
        String(created.headers['x-oversight-signature']),
        created.body,
      ),
    ).toBe(false);
    expect(created.headers['x-oversight-event']).toBe('task-created');
    expect(created.json).toMatchObject({
      schema: 'oversight.review-notification.v1',
      kind: 'task-created',
      roles: ['oversight-officer'],
      link: `http://console.test/tasks/${decisionId}`,
      task: { amount: { value: 640, currency: 'USD' }, quorum: { given: 0, required: 1 } },
    });

    // Refused twice with 503, then delivered, with the same delivery id each time.
    const [flaky] = await eventually(() => {
      const found = deliveries('/flaky', decisionId, 'task-created');
      if (!found.length) throw new Error('not delivered to the flaky receiver yet');
      return found;
    });
    expect(flaky.headers['x-oversight-delivery']).toBe(created.headers['x-oversight-delivery']);

    const email = await eventually(() => {
      const found = mail.mails.find((m) => m.includes(`X-Oversight-Decision: ${decisionId}`));
      if (!found) throw new Error('no email yet');
      return found;
    });
    expect(email).toContain('To: officers@example.com');
    expect(email).toMatch(/Subject: Review needed: telecom-billing\/refund/);
    expect(deliveries('/leads', decisionId)).toHaveLength(0);
  });

  it('tells the others when someone claims a task', async () => {
    const decisionId = uniqueName('dec');
    await publisher.publish(
      Topic.ReviewRequested,
      request(decisionId, {}, { requestedAgoMs: 0, dueInMs: 3_600_000 }),
    );
    await eventually(() => expect(deliveries('/desk', decisionId, 'task-created')).toHaveLength(1), {
      timeoutMs: 60_000,
    });
    const token = await issueToken(
      { secret: DEVELOPMENT_JWT_SECRET, issuer: 'oversight', audience: 'oversight-api' },
      { subject: 'otis', roles: ['reviewer', 'oversight-officer'], kind: 'user' },
      '1h',
    );
    const claimed = await fetch(`http://127.0.0.1:${port}/v1/review-tasks/${decisionId}/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(claimed.status).toBe(200);
    const [notice] = await eventually(() => {
      const found = deliveries('/desk', decisionId, 'task-claimed');
      if (!found.length) throw new Error('no claim notice yet');
      return found;
    });
    expect(notice.json).toMatchObject({
      text: expect.stringContaining('otis is now working on'),
      actor: { id: 'otis' },
    });
  });

  it('warns near the SLA and tells the next group on escalation', async () => {
    // Requested 55 s ago with a 60 s SLA: the warning (at 48 s) is due at once, the escalation step (at 60 s) in 5 s.
    const decisionId = uniqueName('dec');
    await publisher.publish(
      Topic.ReviewRequested,
      request(decisionId, {}, { requestedAgoMs: 55_000, dueInMs: 5_000 }),
    );
    await eventually(() => expect(deliveries('/desk', decisionId, 'sla-warning')).toHaveLength(1), {
      timeoutMs: 60_000,
    });
    const [escalated] = await eventually(
      () => {
        const found = deliveries('/leads', decisionId, 'task-escalated');
        if (!found.length) throw new Error('no escalation notice yet');
        return found;
      },
      { timeoutMs: 30_000 },
    );
    expect(escalated.json).toMatchObject({ roles: ['oversight-lead'], task: { escalationLevel: 1 } });
    expect(deliveries('/desk', decisionId, 'task-escalated')).toHaveLength(0);
  }, 120_000);
});
