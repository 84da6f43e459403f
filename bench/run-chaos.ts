/**
 * `npm run chaos`: every fault scenario (chaos.ts), then the API fuzz at length (`npm run fuzz-long`,
 * FUZZ_EXAMPLES=200 per operation and caller; `--no-fuzz` leaves it out). `--smoke` is the short version of
 * `npm test`: each service killed in turn, no fuzz (the ring fuzzes at its own size).
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ChaosRun } from './chaos';
import { chaosPlan } from './chaos-plan';
import { say, useInfra } from './run-context';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string' },
      decisions: { type: 'string' },
      'no-fuzz': { type: 'boolean', default: false },
    },
  });
  const decisions = values.decisions === undefined ? undefined : Number(values.decisions);
  if (decisions !== undefined && (!Number.isInteger(decisions) || decisions < 10)) {
    say(`--decisions ${values.decisions} is not a whole number of at least 10`);
    return 2;
  }
  const plan = chaosPlan({ smoke: values.smoke ?? false, decisions, only: values.only });
  await useInfra();
  const chaos = await new ChaosRun(plan).run();
  if (plan.smoke || values['no-fuzz'] || values.only) return chaos;
  say('the API fuzz at length (npm run fuzz-long)');
  const fuzz = spawnSync('npm', ['run', 'fuzz-long'], { stdio: 'inherit' });
  say(`the API fuzz ${fuzz.status === 0 ? 'passed' : `failed (exit ${fuzz.status})`}`);
  return chaos || (fuzz.status ?? 1);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    say(`chaos: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
