import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Kafka, Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import {
  decodeEvent,
  exampleDecisionProposed,
  newEvent,
  PlatformEvent,
  Topic,
  TOPIC_SPECS,
} from '@oversight/contracts';
import { createProducer, ensureTopics, EventPublisher, MessagingLogger } from '@oversight/messaging';
import {
  dropTestDatabase,
  eventually,
  testDatabaseUri,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@oversight/testing';
import { ApprovedAction, createExecutor, ExecutionFailure, Executor, ExecutorOptions } from '../src';

const WORKSPACE = path.resolve(__dirname, '../../..');
const quiet: MessagingLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
};

type Report = PlatformEvent<'ActionExecuted' | 'ActionFailed'>;

describe('executor SDK on the real broker and store', () => {
  const storeUri = testDatabaseUri('sdk-e2e');
  let kafka: Kafka;
  let producer: Producer;
  let publisher: EventPublisher;
  let mongo: MongoClient;
  let executed: TopicRecorder;
  let failed: TopicRecorder;
  let reversals: TopicRecorder;
  const running: Executor[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS, { logger: quiet });
    producer = createProducer(kafka);
    await producer.connect();
    publisher = new EventPublisher(producer);
    mongo = new MongoClient(storeUri);
    await mongo.connect();
    executed = await new TopicRecorder(kafka, Topic.ActionExecuted).start();
    failed = await new TopicRecorder(kafka, Topic.ActionFailed).start();
    reversals = await new TopicRecorder(kafka, Topic.ActionReversal).start();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((executor) => executor.stop()));
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  afterAll(async () => {
    await Promise.all([executed.stop(), failed.stop(), reversals.stop()]);
    await producer.disconnect();
    await mongo.close();
    await dropTestDatabase(storeUri);
  });

  function approval(actionType: string, parameters: Record<string, unknown> = { accountId: 'ACC-1' }) {
    const decisionId = uniqueName('dec');
    return newEvent('ActionApproved', {
      decisionId,
      producer: 'routing',
      payload: {
        proposal: exampleDecisionProposed({ actionType, parameters }),
        score: 5,
        tier: 'low',
        riskReasons: [],
        routingReasons: ['low-tier refund: auto'],
        policy: { policyId: 'reference', policyVersion: 1 },
        mode: 'auto',
      },
    });
  }

  async function start(options: Partial<ExecutorOptions> & Pick<ExecutorOptions, 'actionTypes' | 'execute'>) {
    const executor = createExecutor({
      name: uniqueName('exec'),
      fromBeginning: true,
      kafka: { brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',') },
      store: { uri: storeUri, commandLog: process.env.STORE_COMMAND_LOG },
      retry: { attempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
      logger: quiet,
      ...options,
    });
    await executor.start();
    running.push(executor);
    return executor;
  }

  const reportsOf = (decisionId: string): Report[] =>
    [...executed.messages, ...failed.messages]
      .map(({ topic, message }) => decodeEvent(topic as typeof Topic.ActionExecuted, message.value))
      .flatMap((decoded) => (decoded.ok ? [decoded.value as Report] : []))
      .filter((event) => event.decisionId === decisionId)
      .sort((a, b) => a.payload.attempt - b.payload.attempt || a.type.localeCompare(b.type));

  /** The executor's answers to reversal requests for the decision. */
  const reversalsOf = (decisionId: string) =>
    reversals.messages
      .map(({ message }) => decodeEvent(Topic.ActionReversal, message.value))
      .flatMap((decoded) => (decoded.ok ? [decoded.value] : []))
      .filter((event) => event.decisionId === decisionId && event.type !== 'ReversalRequested');

  /** Distinct reports: a republished report keeps its eventId. */
  const distinctReportsOf = (decisionId: string) => [
    ...new Map(reportsOf(decisionId).map((event) => [event.eventId, event])).values(),
  ];

  it('carries out an approved action once, reports what the target answered, and leaves other action types alone', async () => {
    const actionType = uniqueName('credit');
    const seen: ApprovedAction[] = [];
    const executor = await start({
      actionTypes: [actionType],
      execute: async (action) => {
        seen.push(action);
        return { ledgerEntry: `L-${action.attempt}` };
      },
    });
    const mine = approval(actionType);
    const other = approval(uniqueName('other'));
    await publisher.publish(Topic.ActionApproved, other, mine);

    const [report] = await eventually(() => {
      const reports = reportsOf(mine.decisionId);
      expect(reports).toHaveLength(1);
      return reports;
    });
    expect(report).toMatchObject({
      type: 'ActionExecuted',
      causationId: mine.eventId,
      payload: { attempt: 1, result: { ledgerEntry: 'L-1' } },
    });
    expect(report.payload.idempotencyKey).toBe(`${report.payload.executor}/${mine.decisionId}#1`);
    expect(seen.map((action) => action.decisionId)).toEqual([mine.decisionId]);
    expect(seen[0]).toMatchObject({ actionType, parameters: { accountId: 'ACC-1' }, attempt: 1 });
    expect(reportsOf(other.decisionId)).toEqual([]);
    await executor.stop();
  });

  it('retries a retryable failure with backoff, reporting each try, until it is carried out', async () => {
    const actionType = uniqueName('credit');
    const tries: number[] = [];
    await start({
      actionTypes: [actionType],
      execute: async (action) => {
        tries.push(action.attempt);
        if (action.attempt < 3)
          throw new ExecutionFailure('ledger timed out', { code: 'timeout', retryable: true });
        return { ledgerEntry: 'L-9' };
      },
    });
    const mine = approval(actionType);
    await publisher.publish(Topic.ActionApproved, mine);

    const reports = await eventually(() => {
      const found = reportsOf(mine.decisionId);
      expect(found).toHaveLength(3);
      return found;
    });
    expect(reports.map((r) => [r.type, r.payload.attempt])).toEqual([
      ['ActionFailed', 1],
      ['ActionFailed', 2],
      ['ActionExecuted', 3],
    ]);
    expect(reports[0].payload).toMatchObject({
      retryable: true,
      willRetry: true,
      error: { code: 'timeout' },
    });
    expect(tries).toEqual([1, 2, 3]);
  });

  it('hands a failure to people with what the executor saw: at once when not retryable, after the last try when it is', async () => {
    const actionType = uniqueName('closure');
    await start({
      actionTypes: [actionType],
      execute: async (action) => {
        if (action.parameters.accountId === 'ACC-OWES') {
          throw new ExecutionFailure('account still owes 40.00', {
            code: 'balance-outstanding',
            context: { finalBillBalance: 40 },
          });
        }
        throw new Error('socket hang up');
      },
    });
    const owes = approval(actionType, { accountId: 'ACC-OWES' });
    const flaky = approval(actionType, { accountId: 'ACC-2' });
    await publisher.publish(Topic.ActionApproved, owes, flaky);

    const [refused] = await eventually(() => {
      const found = reportsOf(owes.decisionId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(refused).toMatchObject({
      type: 'ActionFailed',
      payload: {
        attempt: 1,
        retryable: false,
        willRetry: false,
        error: { code: 'balance-outstanding', message: 'account still owes 40.00' },
        context: {
          actionType,
          parameters: { accountId: 'ACC-OWES' },
          finalBillBalance: 40,
          approvalMode: 'auto',
        },
      },
    });
    // An error the executor did not classify is not retried: a person looks at it.
    const [unexpected] = await eventually(() => {
      const found = reportsOf(flaky.decisionId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(unexpected.payload).toMatchObject({
      retryable: false,
      willRetry: false,
      error: { code: 'unexpected-error', message: 'socket hang up' },
    });
  });

  it('stops retrying after its last try and says so', async () => {
    const actionType = uniqueName('posting');
    await start({
      actionTypes: [actionType],
      execute: async () => {
        throw new ExecutionFailure('ERP unavailable', { code: 'erp-down', retryable: true });
      },
    });
    const mine = approval(actionType);
    await publisher.publish(Topic.ActionApproved, mine);
    const reports = await eventually(() => {
      const found = reportsOf(mine.decisionId);
      expect(found).toHaveLength(3);
      return found;
    });
    expect(reports.map((r) => (r.payload as { willRetry: boolean }).willRetry)).toEqual([true, true, false]);
  });

  it('does not run a finished try again when the approval is delivered again, and reports it with the same id', async () => {
    const actionType = uniqueName('credit');
    const name = uniqueName('exec');
    let calls = 0;
    const options = {
      name,
      actionTypes: [actionType],
      execute: async () => {
        calls += 1;
        return { ledgerEntry: 'L-1' };
      },
    };
    const first = await start(options);
    const mine = approval(actionType);
    await publisher.publish(Topic.ActionApproved, mine);
    const [report] = await eventually(() => {
      const found = reportsOf(mine.decisionId);
      expect(found).toHaveLength(1);
      return found;
    });
    await first.stop();
    running.splice(running.indexOf(first), 1);

    // As if it had died after reporting and before committing: the group reads the approval again.
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: `executor-${name}`, topic: Topic.ActionApproved, earliest: true });
    await admin.disconnect();
    await start(options);

    await eventually(() => expect(reportsOf(mine.decisionId).length).toBeGreaterThan(1), {
      timeoutMs: 60_000,
    });
    expect(calls).toBe(1);
    expect(distinctReportsOf(mine.decisionId).map((r) => r.eventId)).toEqual([report.eventId]);
  });

  it('undoes an action it carried out once per reversal request, even when the request is delivered again', async () => {
    const actionType = uniqueName('credit');
    const undone: string[] = [];
    await start({
      actionTypes: [actionType],
      execute: async () => ({ ledgerEntry: 'L-1' }),
      compensate: async (action) => {
        undone.push(`${action.executed.result?.ledgerEntry}:${action.reversal.comment}`);
        return { ledgerEntry: 'L-1-R' };
      },
    });
    const mine = approval(actionType);
    await publisher.publish(Topic.ActionApproved, mine);
    const [report] = await eventually(() => {
      const found = reportsOf(mine.decisionId);
      expect(found).toHaveLength(1);
      return found;
    });
    const request = newEvent('ReversalRequested', {
      decisionId: mine.decisionId,
      producer: 'gateway',
      payload: {
        executor: report.payload.executor,
        attempt: 1,
        proposal: mine.payload.proposal,
        result: { ledgerEntry: 'L-1' },
        requestedBy: { kind: 'user', id: 'vera', roles: ['supervisor'] },
        comment: 'fraud ring',
      },
    });
    await publisher.publish(Topic.ActionReversal, request, request);
    const answers = await eventually(() => {
      const found = reversalsOf(mine.decisionId);
      expect(found.length).toBeGreaterThanOrEqual(2);
      return found;
    });
    expect(new Set(answers.map((answer) => answer.eventId)).size).toBe(1);
    expect(answers[0]).toMatchObject({
      type: 'ActionReversed',
      causationId: request.eventId,
      payload: { result: { ledgerEntry: 'L-1-R' } },
    });
    expect(undone).toEqual(['L-1:fraud ring']);
  });

  it('answers a reversal it cannot carry out with the reason', async () => {
    const actionType = uniqueName('closure');
    const name = uniqueName('exec');
    await start({ name, actionTypes: [actionType], execute: async () => undefined });
    const mine = approval(actionType);
    await publisher.publish(
      Topic.ActionReversal,
      newEvent('ReversalRequested', {
        decisionId: mine.decisionId,
        producer: 'gateway',
        payload: {
          executor: name,
          attempt: 1,
          proposal: mine.payload.proposal,
          requestedBy: { kind: 'user', id: 'vera', roles: ['supervisor'] },
          comment: 'closed by mistake',
        },
      }),
    );
    const [answer] = await eventually(() => {
      const found = reversalsOf(mine.decisionId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(answer).toMatchObject({ type: 'ReversalFailed', payload: { error: { code: 'not-supported' } } });
  });

  describe('killed inside execute, after the effect and before the try was recorded or committed', () => {
    function runFixture(env: Record<string, string>): Promise<ChildProcess> {
      // tsx as a loader of this node process (not its own wrapper process), so a kill reaches the executor itself.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'fixtures/executor-process.ts')],
        {
          cwd: WORKSPACE,
          env: {
            ...process.env,
            TSX_TSCONFIG_PATH: path.join(WORKSPACE, 'tsconfig.base.json'),
            MONGODB_URI: storeUri,
            ...env,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      children.push(child);
      let output = '';
      return new Promise((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('fixture executor started')) resolve(child);
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        child.once('exit', (code, signal) =>
          reject(new Error(`fixture exited (${code ?? signal}) before it started:\n${output}`)),
        );
      });
    }

    const exited = (child: ChildProcess) =>
      new Promise<string | null>((resolve) =>
        child.exitCode !== null || child.signalCode !== null
          ? resolve(child.signalCode)
          : child.once('exit', (_code, signal) => resolve(signal)),
      );

    const callsOf = (decisionId: string) =>
      mongo.db().collection('fixture_calls').countDocuments({ decisionId });
    const effectsOf = (decisionId: string) =>
      mongo.db().collection('fixture_effects').countDocuments({ decisionId });

    it('runs the try again under the same idempotency key when the target honours it: one effect, one report', async () => {
      const actionType = uniqueName('credit');
      const env = { EXECUTOR_NAME: uniqueName('exec'), ACTION_TYPE: actionType, IDEMPOTENT: '1' };
      const crashing = await runFixture({ ...env, CRASH_INSIDE_EXECUTE: '1' });
      const mine = approval(actionType);
      await publisher.publish(Topic.ActionApproved, mine);
      expect(await exited(crashing)).toBe('SIGKILL');
      expect(reportsOf(mine.decisionId)).toEqual([]);

      await runFixture(env);
      const [report] = await eventually(
        () => {
          const found = distinctReportsOf(mine.decisionId);
          expect(found).toHaveLength(1);
          return found;
        },
        { timeoutMs: 60_000 },
      );
      expect(report).toMatchObject({ type: 'ActionExecuted', payload: { attempt: 1 } });
      expect(await callsOf(mine.decisionId)).toBe(2);
      expect(await effectsOf(mine.decisionId)).toBe(1);
    });

    it('never runs it twice when the target cannot tell a repeat: the try is reported in doubt for a person', async () => {
      const actionType = uniqueName('closure');
      const env = { EXECUTOR_NAME: uniqueName('exec'), ACTION_TYPE: actionType };
      const crashing = await runFixture({ ...env, CRASH_INSIDE_EXECUTE: '1' });
      const mine = approval(actionType);
      await publisher.publish(Topic.ActionApproved, mine);
      expect(await exited(crashing)).toBe('SIGKILL');

      await runFixture(env);
      const [report] = await eventually(
        () => {
          const found = distinctReportsOf(mine.decisionId);
          expect(found).toHaveLength(1);
          return found;
        },
        { timeoutMs: 60_000 },
      );
      expect(report).toMatchObject({
        type: 'ActionFailed',
        payload: { attempt: 1, retryable: false, willRetry: false, error: { code: 'in-doubt' } },
      });
      expect(await callsOf(mine.decisionId)).toBe(1);
    });
  });
});
