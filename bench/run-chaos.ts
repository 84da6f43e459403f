/** `npm run chaos`: see chaos.ts. */
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
    },
  });
  const decisions = values.decisions === undefined ? undefined : Number(values.decisions);
  if (decisions !== undefined && (!Number.isInteger(decisions) || decisions < 10)) {
    say(`--decisions ${values.decisions} is not a whole number of at least 10`);
    return 2;
  }
  const plan = chaosPlan({ smoke: values.smoke ?? false, decisions, only: values.only });
  await useInfra();
  return new ChaosRun(plan).run();
}

main().then(
  (code) => process.exit(code),
  (error) => {
    say(`chaos: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
