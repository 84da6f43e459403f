import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Topic, TOPIC_SPECS } from '@oversight/contracts';
import { ensureTopics } from '@oversight/messaging';
import { eventually, testKafka, TopicRecorder, uniqueName } from '@oversight/testing';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** Runs `npm run control -- …` as an operator would, and reports its exit code and output. */
const control = (...args: string[]) =>
  promisify(execFile)(
    TSX,
    ['--tsconfig', 'libs/control/tsconfig.cli.json', 'libs/control/src/cli.ts', ...args],
    {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
    },
  ).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('control command line on the real broker', () => {
  // The services create the topics when they start; none runs here, and a fresh broker has none.
  beforeAll(async () => {
    await ensureTopics(testKafka(), TOPIC_SPECS);
  });

  it('halts a function, lists the halt with who and why, and resumes it', async () => {
    const fn = uniqueName('fn');
    expect(await control('halt', fn, '--reason', 'suspected refund fraud', '--by', 'ops-1')).toMatchObject({
      code: 0,
      stdout: `halted ${fn}: nothing there is auto-approved until it is resumed\n`,
    });
    const listed = await control('halts');
    expect(listed.stdout).toMatch(
      new RegExp(`^HALTED ${fn} since \\S+ by ops-1: suspected refund fraud$`, 'm'),
    );

    expect(await control('resume', fn, '--reason', 'cleared', '--by', 'ops-2')).toMatchObject({ code: 0 });
    expect((await control('halts')).stdout).not.toContain(`HALTED ${fn} `);
  });

  it('refuses a halt without who and why', async () => {
    expect(await control('halt', 'telecom-billing', '--by', 'ops-1')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--reason is required'),
    });
  });

  it('publishes a valid policy and refuses an invalid one with its problems named', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
    const reference = fs.readFileSync(path.join(ROOT, 'libs/policy/policies/reference.yaml'), 'utf8');
    const policyId = uniqueName('pol');
    const good = path.join(dir, 'good.yaml');
    fs.writeFileSync(good, reference.replace(/^policyId: reference$/m, `policyId: ${policyId}`));
    expect(await control('publish-policy', good, '--by', 'risk-office')).toMatchObject({
      code: 0,
      stdout: `published policy ${policyId} v1\n`,
    });

    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      bad,
      reference.replace(
        'routes: { low: review, medium: review, high: review, critical: block }',
        'routes: { low: auto, medium: review, high: review, critical: block }',
      ),
    );
    const refused = await control('publish-policy', bad, '--by', 'risk-office');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('defaults.routes.low: must not be auto');
  });

  describe('regression suites', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suites-'));
    const reference = fs.readFileSync(path.join(ROOT, 'libs/policy/policies/reference.yaml'), 'utf8');
    const SUITE = 'libs/policy/suites/reference.yaml';
    /** The reference policy under a fresh id as v2, with invoices scored medium from 20 points. */
    const stricter = (policyId = 'reference') => {
      const file = path.join(dir, `${policyId}-stricter.yaml`);
      fs.writeFileSync(
        file,
        reference
          .replace(/^policyId: reference$/m, `policyId: ${policyId}`)
          .replace(/^version: 1$/m, 'version: 2')
          .replace('tiers: { medium: 30,', 'tiers: { medium: 20,'),
      );
      return file;
    };
    const CHANGED_LINE = '- invoice $800 clean: expected auto/low, now review/medium (score 20)';

    it('test-policy: exit 0 when every case keeps its outcome, 1 with the diff when some change', async () => {
      expect(
        await control('test-policy', 'libs/policy/policies/reference.yaml', '--suite', SUITE),
      ).toMatchObject({
        code: 0,
        stdout: 'suite reference against policy reference v1: all 16 cases unchanged\n',
      });
      expect(await control('test-policy', stricter(), '--suite', SUITE)).toMatchObject({
        code: 1,
        stdout: `suite reference against policy reference v2: 1 of 16 cases changed\n${CHANGED_LINE}\n`,
      });
    });

    it('test-policy: a usage error without a suite, and an invalid suite named with its problems', async () => {
      expect(await control('test-policy', stricter())).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('test-policy needs at least one --suite'),
      });
      const bad = path.join(dir, 'bad-suite.yaml');
      fs.writeFileSync(
        bad,
        fs
          .readFileSync(path.join(ROOT, SUITE), 'utf8')
          .replace('expect: { route: auto, tier: low }', 'expect: { route: soon, tier: low }'),
      );
      const refused = await control('test-policy', stricter(), '--suite', bad);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`regression suite ${bad} is not valid`);
      expect(refused.stderr).toContain('cases.0.expect.route: route must be one of the following values');
    });

    it('publish-policy refuses a policy that changes a case, and publishes it confirmed with who and why', async () => {
      const policyId = uniqueName('pol');
      const file = stricter(policyId);
      const recorder = await new TopicRecorder(testKafka(), Topic.PolicyPublished).start();
      try {
        const refused = await control('publish-policy', file, '--by', 'risk-office', '--suite', SUITE);
        expect(refused).toMatchObject({ code: 1, stdout: expect.stringContaining(CHANGED_LINE) });
        expect(refused.stderr).toContain(
          `policy ${policyId} v2 changes 1 regression case(s) and was not published`,
        );

        expect(
          await control('publish-policy', file, '--by', 'risk-office', '--suite', SUITE, '--confirm'),
        ).toMatchObject({ code: 2, stderr: expect.stringContaining('--reason is required') });

        const confirmed = await control(
          'publish-policy',
          file,
          '--by',
          'risk-office',
          '--suite',
          SUITE,
          '--confirm',
          '--reason',
          'invoices get a second look',
        );
        expect(confirmed).toMatchObject({
          code: 0,
          stdout: expect.stringContaining(`published policy ${policyId} v2\n`),
        });

        const [published] = await eventually(() => {
          const messages = recorder.withKey(`policy/${policyId}`);
          expect(messages).toHaveLength(1);
          return messages.map((m) => JSON.parse(m.message.value!.toString()));
        });
        expect(published.payload).toMatchObject({
          policyId,
          version: 2,
          publishedBy: 'risk-office',
          regression: {
            suites: 1,
            cases: 16,
            changed: 1,
            confirmedBy: 'risk-office',
            reason: 'invoices get a second look',
          },
        });
      } finally {
        await recorder.stop();
      }
    });
  });
});
