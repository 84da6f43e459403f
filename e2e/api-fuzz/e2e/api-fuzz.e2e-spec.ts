import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEMO_PASSWORD } from '@oversight/auth';
import { TOPIC_SPECS } from '@oversight/contracts';
import { ensureTopics } from '@oversight/messaging';
import { dropTestDatabase, PlatformProcesses, TestPrometheus, testKafka } from '@oversight/testing';

const ROOT = path.resolve(__dirname, '../../..');
const SCHEMATHESIS = path.join(ROOT, '.infra/venv/bin/schemathesis');
const HOOKS = path.resolve(__dirname, '../hooks/error_shape.py');
const GATEWAY_CLI = path.join(ROOT, 'dist/apps/gateway/cli.js');
const REPORTS = path.join(ROOT, 'tmp/api-fuzz');
/** Examples per operation: small in `npm test`, FUZZ_EXAMPLES=200 for the long run of `npm run fuzz-long`. */
const EXAMPLES = Number(process.env.FUZZ_EXAMPLES ?? 25);
/** The same cases every run, so a failure in the ring reproduces; FUZZ_SEED to explore others. */
const SEED = process.env.FUZZ_SEED ?? '14';
/** Per caller's run: about 15 s at 25 examples; the long run scales with its examples. */
const RUN_TIMEOUT_MS = Math.max(600_000, EXAMPLES * 10_000);
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'error_shape',
];
// The live feeds never end, so a fuzzer would only wait out its timeout on them (apps/gateway/e2e reads them).
const LIVE_FEEDS = '^/v1/(decision|review)-events$';
// Pressing the stop button for a real function (or `*`) would halt the shared broker's other suites: the halt
// levers get invalid requests only.
const HALT_LEVERS = '^/v1/halts';

/** One schemathesis run against the gateway's OpenAPI document; its exit code and what it printed. */
function schemathesis(
  name: string,
  url: string,
  headers: Record<string, string>,
  extra: string[],
  phases = 'examples,coverage,fuzzing',
) {
  const reportDir = path.join(REPORTS, name);
  mkdirSync(reportDir, { recursive: true });
  const args = [
    'run',
    `${url}/docs-json`,
    '--url',
    url,
    ...Object.entries(headers).flatMap(([header, value]) => ['-H', `${header}: ${value}`]),
    '--checks',
    CHECKS.join(','),
    '--max-examples',
    String(EXAMPLES),
    '--seed',
    SEED,
    '--phases',
    phases,
    '--request-timeout',
    '10',
    // One worker: hypothesis parses lambdas' source with `ast`, which CPython 3.11 does not do safely from two
    // threads at once (a SystemError, "AST constructor recursion depth mismatch", now and then).
    '--workers',
    '1',
    '--no-color',
    '--report',
    'junit',
    '--report-dir',
    reportDir,
    ...extra,
  ];
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(SCHEMATHESIS, args, {
      // Its cache (.schemathesis/) lands beside the reports, not in the workspace.
      cwd: REPORTS,
      env: { ...process.env, SCHEMATHESIS_HOOKS: HOOKS, PYTHONUNBUFFERED: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      writeFileSync(path.join(reportDir, 'output.txt'), output);
      resolve({ code, output });
    });
  });
}

/**
 * The gateway's HTTP API fuzzed from its own OpenAPI description (/docs-json) by schemathesis, as each kind of
 * caller, against the gateway, the escalation service it forwards review calls to and the audit service, as
 * processes on the real broker and store: no 5xx, every answer as documented, every 4xx in the one error shape
 * and every 400 naming its field.
 */
describe('gateway API fuzzed from its OpenAPI description (schemathesis, processes, real broker and store)', () => {
  // The operations view reads Prometheus: one of the suite's own (scraping nothing), so it answers 200.
  const prometheus = new TestPrometheus([]);
  let platform: PlatformProcesses;
  const callers: Record<string, Record<string, string>> = {};

  const signIn = async (user: string) => {
    const response = await fetch(`${platform.gatewayUrl}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, password: DEMO_PASSWORD }),
    });
    expect(response.status).toBe(201);
    const { token } = (await response.json()) as { token: string };
    return { Authorization: `Bearer ${token}` };
  };

  beforeAll(async () => {
    if (!existsSync(SCHEMATHESIS)) throw new Error(`${SCHEMATHESIS} is missing: run scripts/setup.sh`);
    await ensureTopics(testKafka(), TOPIC_SPECS);
    await prometheus.start();
    platform = new PlatformProcesses(['gateway', 'escalation', 'audit'], {
      AUTH_DEMO_SIGN_IN: 'on',
      // The fuzzer is one machine sending thousands of requests: a person's allowance would answer 429.
      RATE_LIMIT_PER_USER: '1000000',
      RATE_LIMIT_PER_SERVICE: '1000000',
      NODE_ENV: 'test',
      PROMETHEUS_URL: prometheus.url,
    });
    await platform.start();
    // Demo users of each role (libs/auth demo-users.ts), and an upstream system with an API key.
    callers['admin and sre'] = await signIn('root');
    callers.supervisor = await signIn('vera');
    callers.reviewer = await signIn('bella');
    callers.auditor = await signIn('audrey');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [GATEWAY_CLI, 'api-key', 'create', '--name', 'fuzz', '--roles', 'upstream', '--by', 'api-fuzz'],
      { env: { ...process.env, ...platform.env } },
    );
    callers['upstream (API key)'] = { 'X-Api-Key': stdout.trim() };
    callers['no credentials'] = {};
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    await prometheus.stop();
    if (platform) await dropTestDatabase(platform.databaseUri);
  });

  it.each(['admin and sre', 'supervisor', 'reviewer', 'auditor', 'upstream (API key)', 'no credentials'])(
    'as %s: no failure',
    async (caller) => {
      const name = caller.replace(/[^a-z]+/g, '-');
      const run = await schemathesis(name, platform.gatewayUrl, callers[caller], [
        '--exclude-path-regex',
        `${LIVE_FEEDS}|${HALT_LEVERS}`,
      ]);
      expect({ code: run.code, tail: run.output.slice(-6000) }).toEqual({ code: 0, tail: expect.anything() });
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'the halt levers refuse invalid requests in the one error shape, and nothing is halted',
    async () => {
      const run = await schemathesis(
        'halts',
        platform.gatewayUrl,
        callers['admin and sre'],
        [
          '--include-name-regex',
          '^(POST|DELETE) /v1/halts',
          '--mode',
          'negative',
          // Negative cases that the schema cannot tell apart from valid ones are filtered out; not a failure.
          '--suppress-health-check',
          'filter_too_much',
        ],
        // Not the examples phase: the documented example is a real halt.
        'coverage,fuzzing',
      );
      expect({ code: run.code, tail: run.output.slice(-6000) }).toEqual({ code: 0, tail: expect.anything() });
      const halts = await fetch(`${platform.gatewayUrl}/v1/halts`, { headers: callers['admin and sre'] });
      const { halts: inForce } = (await halts.json()) as { halts: { by: string }[] };
      expect(inForce.filter((halt) => halt.by === 'root')).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );
});
