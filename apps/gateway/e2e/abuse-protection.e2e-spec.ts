import { DEMO_PASSWORD, issueToken } from '@oversight/auth';
import {
  dropTestDatabase,
  eventually,
  freePort,
  ServiceProcess,
  testDatabaseUri,
  uniqueName,
} from '@oversight/testing';

const SECRET = 'the-abuse-e2e-secret-long-enough-for-hs256';
const AUTH = { secret: SECRET, issuer: 'oversight', audience: 'oversight-api' };

/**
 * The gateway's protections as a client sees them, on a gateway of its own with small limits. It trusts one
 * proxy, so each test speaks from an address of its own (X-Forwarded-For) and no test spends another's
 * allowance.
 */
describe('gateway abuse protection (e2e)', () => {
  const runId = uniqueName('abuse');
  const databaseUri = testDatabaseUri(runId);
  let gateway: ServiceProcess;
  let base: string;

  const LIMITS = {
    RATE_LIMIT_PER_IP: 30,
    RATE_LIMIT_PER_USER: 8,
    RATE_LIMIT_PER_SERVICE: 20,
    SIGN_IN_LIMIT_PER_IP: 6,
    SIGN_IN_LOCKOUT_AFTER: 3,
    LIVE_FEEDS_PER_CALLER: 2,
  };

  let lastAddress = 0;
  /** An address no other test uses. */
  const newAddress = () => `203.0.113.${++lastAddress}`;

  const send = (
    method: string,
    urlPath: string,
    from: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ) =>
    fetch(`${base}${urlPath}`, {
      method,
      headers: {
        'X-Forwarded-For': from,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const json = async (response: Response) => ({
    status: response.status,
    body: (await response.json()) as { statusCode: number; error: string; message: string },
    headers: response.headers,
  });
  const signIn = (user: string, password: string, from: string) =>
    send('POST', '/v1/sessions', from, {}, { user, password }).then(json);
  const bearer = async (subject: string, roles: string[], kind: 'user' | 'service' = 'user') => ({
    Authorization: `Bearer ${await issueToken(AUTH, { subject, roles, kind }, '10m')}`,
  });

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    gateway = new ServiceProcess('gateway', {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      MONGODB_URI: databaseUri,
      GATEWAY_PORT: String(port),
      ESCALATION_URL: `http://127.0.0.1:${await freePort()}`,
      AUTH_JWT_SECRET: SECRET,
      AUTH_DEMO_SIGN_IN: 'on',
      GATEWAY_TRUST_PROXY: '1',
      CORS_ORIGINS: 'https://ops.example.com',
      SIGN_IN_LOCKOUT_MINUTES: '1',
      CONSOLE_DIR: 'off',
      ...Object.fromEntries(Object.entries(LIMITS).map(([name, value]) => [name, String(value)])),
    });
    await gateway.start();
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await dropTestDatabase(databaseUri);
  });

  it('limits each address before any credential is checked, and names the limit', async () => {
    const flooder = newAddress();
    const forged = { Authorization: 'Bearer forged.token.value' };
    const answers = [];
    for (let i = 0; i < LIMITS.RATE_LIMIT_PER_IP + 2; i++) {
      answers.push(await send('GET', '/v1/decisions', flooder, forged).then(json));
    }
    expect(answers.slice(0, LIMITS.RATE_LIMIT_PER_IP).map((a) => a.status)).toEqual(
      Array(LIMITS.RATE_LIMIT_PER_IP).fill(401),
    );
    const refused = answers[LIMITS.RATE_LIMIT_PER_IP];
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(
        /^too many requests: the limit is 30 requests per minute from one address; retry in \d+ s$/,
      ),
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not held back by the flood.
    expect((await send('GET', '/v1/decisions', newAddress(), forged)).status).toBe(401);
  });

  it('limits a person across all their tokens, and a system by its own allowance', async () => {
    const from = newAddress();
    const first = await bearer('audrey', ['auditor']);
    const second = await bearer('audrey', ['auditor']);
    const statuses = [];
    for (let i = 0; i < LIMITS.RATE_LIMIT_PER_USER + 1; i++) {
      statuses.push((await send('GET', '/v1/decisions?limit=1', from, i % 2 ? first : second)).status);
    }
    expect(statuses.slice(0, LIMITS.RATE_LIMIT_PER_USER)).toEqual(
      Array(LIMITS.RATE_LIMIT_PER_USER).fill(200),
    );
    const refused = await send('GET', '/v1/decisions?limit=1', from, first).then(json);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/the limit is 8 requests per minute for one caller/);
    // Someone else at the same address still gets through, and a system gets its larger allowance.
    expect(
      (await send('GET', '/v1/decisions?limit=1', from, await bearer('vera', ['supervisor']))).status,
    ).toBe(200);
    const crm = await bearer('crm', ['auditor'], 'service');
    const systemStatuses = [];
    for (let i = 0; i < LIMITS.RATE_LIMIT_PER_USER + 2; i++) {
      systemStatuses.push((await send('GET', '/v1/decisions?limit=1', newAddress(), crm)).status);
    }
    expect(systemStatuses.every((status) => status === 200)).toBe(true);
  });

  it('allows few sign-in attempts per address', async () => {
    const from = newAddress();
    const statuses = [];
    for (let i = 0; i < LIMITS.SIGN_IN_LIMIT_PER_IP; i++) {
      statuses.push((await signIn(`nobody-${i}`, 'guess', from)).status);
    }
    expect(statuses).toEqual(Array(LIMITS.SIGN_IN_LIMIT_PER_IP).fill(401));
    const refused = await signIn('sue', DEMO_PASSWORD, from);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/the limit is 6 sign-in attempts per minute from one address/);
    // The address may still use the API with a token it has.
    expect((await send('GET', '/v1/decisions?limit=1', from, await bearer('sue', ['auditor']))).status).toBe(
      200,
    );
  });

  it('locks a user after failed sign-ins in a row, from any address, and leaves others alone', async () => {
    const wrong = [];
    for (let i = 0; i < LIMITS.SIGN_IN_LOCKOUT_AFTER; i++)
      wrong.push(await signIn('carl', 'wrong', newAddress()));
    expect(wrong.slice(0, -1).map((a) => [a.status, a.body.message])).toEqual(
      Array(LIMITS.SIGN_IN_LOCKOUT_AFTER - 1).fill([401, 'unknown user or wrong password']),
    );
    const lockedNow = wrong[wrong.length - 1];
    expect(lockedNow.status).toBe(429);
    expect(lockedNow.body.message).toMatch(
      /^carl is locked after 3 failed sign-ins in a row; try again after \S+Z$/,
    );
    // The right password does not open a locked account until the lock runs out.
    const stillLocked = await signIn('carl', DEMO_PASSWORD, newAddress());
    expect(stillLocked.status).toBe(429);
    expect(Number(stillLocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(stillLocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const mia = await signIn('mia', DEMO_PASSWORD, newAddress());
    expect(mia.status).toBe(201);
  });

  it('a successful sign-in forgets earlier failures', async () => {
    for (let i = 0; i < LIMITS.SIGN_IN_LOCKOUT_AFTER - 1; i++) {
      expect((await signIn('nina', 'wrong', newAddress())).status).toBe(401);
    }
    expect((await signIn('nina', DEMO_PASSWORD, newAddress())).status).toBe(201);
    for (let i = 0; i < LIMITS.SIGN_IN_LOCKOUT_AFTER - 1; i++) {
      expect((await signIn('nina', 'wrong', newAddress())).status).toBe(401);
    }
  });

  it('caps the live feeds one caller holds open', async () => {
    const from = newAddress();
    const supervisor = await bearer('vera', ['supervisor', 'reviewer']);
    const open: AbortController[] = [];
    const openFeed = async (path: string) => {
      const controller = new AbortController();
      const response = await fetch(`${base}${path}`, {
        headers: { ...supervisor, 'X-Forwarded-For': from, Accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (response.status === 200) open.push(controller);
      return response;
    };
    try {
      expect((await openFeed('/v1/decision-events')).status).toBe(200);
      expect((await openFeed('/v1/review-events')).status).toBe(200);
      const third = await openFeed('/v1/decision-events');
      expect(third.status).toBe(429);
      expect(((await third.json()) as { message: string }).message).toBe(
        'vera already has 2 live feeds open, the most one caller may hold; close one first',
      );
      // Closing one frees its place (the gateway sees the disconnect shortly after).
      open.shift()?.abort();
      await eventually(async () => {
        const again = await openFeed('/v1/decision-events');
        expect(again.status).toBe(200);
      });
    } finally {
      for (const controller of open) controller.abort();
    }
  });

  it('sends security headers, keeps CORS to the configured origins, and says nothing of its internals', async () => {
    const health = await send('GET', '/health', newAddress());
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(health.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(health.headers.get('x-powered-by')).toBeNull();

    const preflight = (origin: string) =>
      send('OPTIONS', '/v1/decisions', newAddress(), {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      });
    expect((await preflight('https://ops.example.com')).headers.get('access-control-allow-origin')).toBe(
      'https://ops.example.com',
    );
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();

    const from = newAddress();
    const admin = await bearer('root', ['admin']);
    const broken = [
      await send('POST', '/v1/decisions', from, admin, '{"decisionId": '),
      await send('POST', '/v1/decisions', from, admin, 'x'.repeat(300 * 1024)),
      await send('GET', '/v1/no-such-thing', from, admin),
      await send('POST', '/v1/sessions', from, {}, { user: { $ne: '' }, password: ['a'] }),
    ];
    const answers = await Promise.all(broken.map(json));
    expect(answers.map((a) => a.status)).toEqual([400, 413, 404, 400]);
    for (const answer of answers) {
      const text = JSON.stringify(answer.body);
      expect(text).not.toMatch(/\bat \S+ \(|node_modules|\/dist\/|Error:|stack/);
      expect(Object.keys(answer.body).sort()).toEqual(
        expect.arrayContaining(['error', 'message', 'statusCode']),
      );
    }
  });

  it('logs and counts every refusal by reason', async () => {
    const sre = await bearer('root', ['sre']);
    const metrics = await send('GET', '/metrics', newAddress(), sre);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    const count = (reason: string) =>
      Number(
        new RegExp(`oversight_gateway_refusals_total\\{reason="${reason}"\\} (\\d+)`).exec(text)?.[1] ?? 0,
      );
    expect(count('rate-limit-ip')).toBeGreaterThanOrEqual(1);
    expect(count('rate-limit-caller')).toBeGreaterThanOrEqual(1);
    expect(count('rate-limit-sign-in')).toBeGreaterThanOrEqual(1);
    expect(count('sign-in-locked')).toBeGreaterThanOrEqual(2);
    expect(count('sign-in-failed')).toBeGreaterThanOrEqual(LIMITS.SIGN_IN_LIMIT_PER_IP);
    expect(count('live-feed-cap')).toBeGreaterThanOrEqual(1);
    expect(count('unauthenticated')).toBeGreaterThanOrEqual(LIMITS.RATE_LIMIT_PER_IP);
    // Metrics are for operators only.
    expect((await send('GET', '/metrics', newAddress(), await bearer('audrey', ['auditor']))).status).toBe(
      403,
    );
    expect(gateway.output).toMatch(
      /refused 429 rate-limit-ip: GET \/v1\/decisions from 203\.0\.113\.1 \(anonymous\)/,
    );
    expect(gateway.output).toMatch(
      /refused 429 sign-in-locked: POST \/v1\/sessions from 203\.0\.113\.\d+ \(anonymous\)/,
    );
  });

  it('has no demo sign-in unless the embedded setup asks for it', async () => {
    const port = await freePort();
    const plain = new ServiceProcess('gateway', {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      MONGODB_URI: databaseUri,
      GATEWAY_PORT: String(port),
      AUTH_JWT_SECRET: SECRET,
      // Started as any deployment would be: nothing asks for the demo, whatever NODE_ENV says.
      AUTH_DEMO_SIGN_IN: undefined,
      NODE_ENV: 'development',
      CONSOLE_DIR: 'off',
    });
    await plain.start();
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/v1/sessions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: 'root', password: DEMO_PASSWORD }),
      }).then(json);
      expect(answer.status).toBe(404);
      expect(answer.body.message).toBe('demo sign-in is off; sign in with your identity provider');
    } finally {
      await plain.stop();
    }
  }, 90_000);
});
