import fs from 'node:fs';
import { parse } from 'yaml';
import { issueToken } from '@oversight/auth';
import { Topic, TOPIC_SPECS } from '@oversight/contracts';
import { ensureTopics } from '@oversight/messaging';
import { loadPolicyFile, REFERENCE_POLICY_FILE, REFERENCE_SUITE_FILE } from '@oversight/policy';
import {
  dropTestDatabase,
  eventually,
  freePort,
  ServiceProcess,
  testDatabaseUri,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@oversight/testing';

const SECRET = 'the-regression-e2e-secret-long-enough-for-hs256';
const AUTH = { secret: SECRET, issuer: 'oversight', audience: 'oversight-api' };

/** The reference suite as a client sends it: the YAML as JSON, the name in the path. */
function suiteBody(): Record<string, any> {
  const { name: _name, ...body } = parse(fs.readFileSync(REFERENCE_SUITE_FILE, 'utf8'));
  return body;
}

/** The reference policy as JSON under a fresh id as v2, with one change applied. */
function policyBody(mutate: (doc: Record<string, any>) => void = () => undefined): Record<string, any> {
  const doc = JSON.parse(JSON.stringify(loadPolicyFile(REFERENCE_POLICY_FILE)));
  doc.policyId = uniqueName('pol');
  doc.version = 2;
  mutate(doc);
  return doc;
}
/** Invoices are scored medium from 20 points: the clean $800 invoice goes to review. */
const stricter = (doc: Record<string, any>) => (doc.tiers.medium = 20);

const INVOICE_CHANGED = {
  case: 'invoice $800 clean',
  expected: { route: 'auto', tier: 'low' },
  actual: { route: 'review', tier: 'medium', score: 20 },
  reasons: [
    'finance-ap/invoice-posting is a medium-sensitivity action (+20)',
    expect.stringMatching(/routes medium-tier finance-ap\/invoice-posting to review$/),
  ],
};

describe('regression suites over HTTP, the gateway as a process, on the real broker and store', () => {
  const databaseUri = testDatabaseUri('suites');
  let gateway: ServiceProcess;
  let base: string;
  let policies: TopicRecorder;
  const callers: Record<string, Record<string, string>> = {};

  const request = async (
    method: string,
    urlPath: string,
    { as, body }: { as: string; body?: unknown },
  ): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${base}${urlPath}`, {
      method,
      headers: { ...callers[as], ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const publishedFor = (policyId: string) =>
    policies.withKey(`policy/${policyId}`).map((m) => JSON.parse(m.message.value!.toString()));

  beforeAll(async () => {
    const env = {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      MONGODB_URI: databaseUri,
      GATEWAY_PORT: String(await freePort()),
      ESCALATION_URL: `http://127.0.0.1:${await freePort()}`,
      AUTH_JWT_SECRET: SECRET,
      CONSOLE_DIR: 'off',
      NODE_ENV: 'test',
      LOG_LEVEL: 'log',
    };
    base = `http://127.0.0.1:${env.GATEWAY_PORT}`;
    const kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    policies = await new TopicRecorder(kafka, Topic.PolicyPublished).start();
    gateway = new ServiceProcess('gateway', env);
    await gateway.start();
    for (const role of ['admin', 'sre', 'auditor'] as const) {
      const token = await issueToken(AUTH, { subject: `${role}-1`, roles: [role], kind: 'user' }, '10m');
      callers[role] = { Authorization: `Bearer ${token}` };
    }
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await policies?.stop();
    await dropTestDatabase(databaseUri);
  });

  it('saves a suite as revisions and reads the latest back, each proposal in full', async () => {
    expect(await request('GET', '/v1/regression-suites', { as: 'sre' })).toEqual({
      status: 200,
      body: { suites: [] },
    });
    const first = await request('PUT', '/v1/regression-suites/reference', { as: 'admin', body: suiteBody() });
    expect(first).toEqual({
      status: 201,
      body: { name: 'reference', revision: 1, cases: 16, savedBy: 'admin-1', savedAt: expect.any(String) },
    });
    // Saved again, by another person, with the name in the body too: the next revision.
    const second = await request('PUT', '/v1/regression-suites/reference', {
      as: 'sre',
      body: { ...suiteBody(), name: 'reference' },
    });
    expect(second.body).toMatchObject({ name: 'reference', revision: 2, savedBy: 'sre-1' });

    expect((await request('GET', '/v1/regression-suites', { as: 'admin' })).body).toEqual({
      suites: [{ name: 'reference', revision: 2, cases: 16, savedBy: 'sre-1', savedAt: expect.any(String) }],
    });
    const read = await request('GET', '/v1/regression-suites/reference', { as: 'admin' });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: 'reference', revision: 2, cases: 16 });
    expect(read.body.suite).not.toHaveProperty('baseProposal');
    expect(read.body.suite.cases[0]).toEqual({
      name: 'refund $12 high confidence',
      proposal: expect.objectContaining({
        agent: expect.objectContaining({ id: 'ops-assistant' }),
        businessFunction: 'telecom-billing',
        parameters: {},
        amount: { value: 12, currency: 'USD' },
      }),
      expect: { route: 'auto', tier: 'low' },
    });
    expect(await request('GET', '/v1/regression-suites/no-such-suite', { as: 'admin' })).toMatchObject({
      status: 404,
      body: { message: 'no regression suite named no-such-suite' },
    });
  });

  it.each<[string, string, unknown, string[]]>([
    [
      'an unknown route',
      'reference',
      (() => {
        const body = suiteBody();
        body.cases[0].expect.route = 'soon';
        return body;
      })(),
      ['cases.0.expect.route'],
    ],
    [
      'a proposal breaking the contract',
      'reference',
      (() => {
        const body = suiteBody();
        body.cases[2].proposal.confidence = 7;
        return body;
      })(),
      ['cases.2.proposal.confidence'],
    ],
    ['a name that is not a slug', 'Bad%20Name', suiteBody(), ['name']],
    ['a body naming another suite', 'reference', { ...suiteBody(), name: 'other' }, ['name']],
    ['no cases', 'reference', { description: 'empty' }, ['cases']],
  ])('refuses a suite with %s, naming the field', async (_name, name, body, fields) => {
    const answer = await request('PUT', `/v1/regression-suites/${name}`, { as: 'admin', body });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe('the suite is not valid');
    expect([...new Set(answer.body.problems.map((p: { field: string }) => p.field))]).toEqual(fields);
  });

  it('runs a saved suite against a policy and answers the diff', async () => {
    expect(
      await request('POST', '/v1/regression-suites/reference/run', { as: 'sre', body: policyBody() }),
    ).toMatchObject({ status: 200, body: { suite: 'reference', cases: 16, passed: 16, changed: [] } });

    const changed = policyBody(stricter);
    expect(
      await request('POST', '/v1/regression-suites/reference/run', { as: 'sre', body: changed }),
    ).toEqual({
      status: 200,
      body: {
        suite: 'reference',
        policy: { policyId: changed.policyId, version: 2 },
        cases: 16,
        passed: 15,
        changed: [INVOICE_CHANGED],
      },
    });

    const invalid = await request('POST', '/v1/regression-suites/reference/run', {
      as: 'sre',
      body: policyBody((doc) => (doc.tiers.high = 10)),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.problems).toEqual([{ field: 'tiers', reason: expect.stringMatching(/must rise/) }]);
    expect(
      (await request('POST', '/v1/regression-suites/none/run', { as: 'sre', body: policyBody() })).status,
    ).toBe(404);
  });

  it('lets admins and SREs only save and run suites', async () => {
    expect(
      (await request('PUT', '/v1/regression-suites/reference', { as: 'auditor', body: suiteBody() })).status,
    ).toBe(403);
    expect(
      (await request('POST', '/v1/regression-suites/reference/run', { as: 'auditor', body: policyBody() }))
        .status,
    ).toBe(403);
  });

  it('refuses to publish a policy that changes a saved case, and publishes it once a person confirms why', async () => {
    const document = policyBody(stricter);
    const refused = await request('POST', '/v1/policies', { as: 'admin', body: document });
    expect(refused).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        code: 'regression-changed',
        message: `policy ${document.policyId} v2 changes the outcome of 1 saved regression case(s) and was not published; to publish it anyway send it again with ?confirm=true&reason=<why>`,
        changed: [
          {
            suite: 'reference',
            policy: { policyId: document.policyId, version: 2 },
            cases: 16,
            passed: 15,
            changed: [INVOICE_CHANGED],
          },
        ],
      },
    });

    // A confirmation needs a reason; confirm is true or false.
    const noReason = await request('POST', '/v1/policies?confirm=true', { as: 'admin', body: document });
    expect(noReason).toMatchObject({ status: 400, body: { message: 'the confirmation is not valid' } });
    expect(noReason.body.problems.map((p: { field: string }) => p.field)).toEqual(['reason']);
    const odd = await request('POST', '/v1/policies?confirm=yes&reason=x', { as: 'admin', body: document });
    expect(odd.body.problems.map((p: { field: string }) => p.field)).toEqual(['confirm']);

    const reason = 'invoices get a second look this quarter';
    const confirmed = await request(
      'POST',
      `/v1/policies?confirm=true&reason=${encodeURIComponent(reason)}`,
      { as: 'sre', body: document },
    );
    const regression = { suites: 1, cases: 16, changed: 1, confirmedBy: 'sre-1', reason };
    expect(confirmed).toEqual({
      status: 202,
      body: { policyId: document.policyId, version: 2, regression },
    });
    // Exactly one event: the confirmed publish. The refused attempts, earlier on the same partition, published nothing.
    const [published] = await eventually(() => {
      const events = publishedFor(document.policyId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(published.payload).toMatchObject({
      policyId: document.policyId,
      publishedBy: 'sre-1',
      regression,
    });
  });

  it('publishes a policy that keeps every outcome, recording the clean check', async () => {
    // A change the suite does not see: a rarer post-hoc sample of refunds.
    const document = policyBody(
      (doc) => (doc.functions['telecom-billing'].actions.refund.auditSampleRate = 0.01),
    );
    expect(await request('POST', '/v1/policies', { as: 'admin', body: document })).toEqual({
      status: 202,
      body: { policyId: document.policyId, version: 2, regression: { suites: 1, cases: 16, changed: 0 } },
    });
    const [published] = await eventually(() => {
      const events = publishedFor(document.policyId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(published.payload.regression).toEqual({ suites: 1, cases: 16, changed: 0 });
  });
});
