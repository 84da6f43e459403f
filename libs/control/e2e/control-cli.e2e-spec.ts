import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { uniqueName } from '@oversight/testing';

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
});
