/**
 * The operator's levers from a terminal: `npm run control -- <command>` (see USAGE). Talks to the broker in
 * KAFKA_BROKERS (default the local one). Exits 1 when the broker refuses, a policy or suite is invalid, or a
 * policy changes the outcome of a regression suite's case; 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { ALL_FUNCTIONS, Topic } from '@oversight/contracts';
import {
  ControlTopicView,
  createKafka,
  createProducer,
  EventPublisher,
  MessagingLogger,
  parseBrokerList,
} from '@oversight/messaging';
import {
  describeSuiteRun,
  loadPolicyFile,
  loadSuiteFile,
  PolicyDocument,
  publishVerdict,
  runSuite,
  SuiteRun,
} from '@oversight/policy';
import { ControlClient } from './control-client';

const USAGE = `usage:
  control halt <function|*> --reason <why> --by <who>     stop auto-execution (everything with *)
  control resume <function|*> --reason <why> --by <who>   lift a halt
  control halts                                            list the halts in force
  control test-policy <file.yaml> --suite <suite.yaml>...  run regression suites against a policy and print
                                                           the changed outcomes (exit 1 when any changed)
  control publish-policy <file.yaml> --by <who> [--suite <suite.yaml>...] [--confirm --reason <why>]
                                                           validate and publish a policy version; with suites,
                                                           refused when it changes a case unless confirmed
  (--suite may be given more than once; only the suites named run: the CLI keeps no suites of its own)`;

class UsageError extends Error {}

const quiet: MessagingLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, fields) => console.error(`control: ${message} ${fields ? JSON.stringify(fields) : ''}`),
  error: (message, fields) => console.error(`control: ${message} ${fields ? JSON.stringify(fields) : ''}`),
};

function required(name: string, value: string | undefined): string {
  if (!value?.trim())
    throw new UsageError(`--${name} is required: the audit trail records who did it and why`);
  return value.trim();
}

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      reason: { type: 'string' },
      by: { type: 'string' },
      suite: { type: 'string', multiple: true },
      confirm: { type: 'boolean' },
    },
  });
  const [command, argument] = positionals;
  const kafka = createKafka({
    brokers: parseBrokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
    clientId: 'control-cli',
    logger: quiet,
  });

  if (command === 'halts') {
    const view = new ControlTopicView(kafka, Topic.HaltChanged, { logger: quiet });
    await view.start();
    const halts = view.values().filter((event) => event.payload.halted);
    await view.stop();
    if (halts.length === 0) console.log('no halts in force');
    for (const { payload, occurredAt } of halts) {
      console.log(`HALTED ${payload.scope} since ${occurredAt} by ${payload.changedBy}: ${payload.reason}`);
    }
    return 0;
  }

  const act = async (use: (control: ControlClient) => Promise<void>) => {
    const producer = createProducer(kafka);
    await producer.connect();
    try {
      await use(new ControlClient(new EventPublisher(producer), 'control-cli'));
    } finally {
      await producer.disconnect();
    }
  };

  switch (command) {
    case 'halt':
    case 'resume': {
      if (!argument) throw new UsageError(`${command} needs a business function, or * for all`);
      const reason = required('reason', values.reason);
      const by = required('by', values.by);
      await act((control) =>
        command === 'halt' ? control.halt(argument, reason, by) : control.resume(argument, reason, by),
      );
      const scope = argument === ALL_FUNCTIONS ? 'every function' : argument;
      console.log(
        command === 'halt'
          ? `halted ${scope}: nothing there is auto-approved until it is resumed`
          : `resumed ${scope}`,
      );
      return 0;
    }
    case 'test-policy': {
      if (!argument) throw new UsageError('test-policy needs a policy file');
      if (!values.suite?.length) throw new UsageError('test-policy needs at least one --suite <suite.yaml>');
      const runs = runSuites(loadPolicyFile(argument), values.suite);
      return runs.some((run) => run.changed.length > 0) ? 1 : 0;
    }
    case 'publish-policy': {
      if (!argument) throw new UsageError('publish-policy needs a policy file');
      const by = required('by', values.by);
      const confirmation = values.confirm ? { by, reason: required('reason', values.reason) } : undefined;
      const policy = loadPolicyFile(argument);
      const runs = runSuites(policy, values.suite ?? []);
      const verdict = publishVerdict(runs, confirmation);
      if (!verdict.publish) {
        console.error(
          `control: policy ${policy.policyId} v${policy.version} changes ${verdict.changedCases} regression ` +
            `case(s) and was not published; to publish it anyway add --confirm --reason <why>`,
        );
        return 1;
      }
      // Without suites no check ran, and the event says nothing about one.
      const regression = runs.length ? verdict.regression : undefined;
      await act((control) => control.publishPolicy(policy, by, regression));
      console.log(`published policy ${policy.policyId} v${policy.version}`);
      return 0;
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'no command given');
  }
}

/** Runs each suite file against the policy and prints its diff. */
function runSuites(policy: PolicyDocument, suiteFiles: string[]): SuiteRun[] {
  return suiteFiles.map((file) => {
    const run = runSuite(loadSuiteFile(file), policy);
    console.log(describeSuiteRun(run));
    return run;
  });
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error & { code?: string }) => {
    if (error instanceof UsageError || error.code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`control: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(`control: ${error.message}`);
    process.exit(1);
  },
);
