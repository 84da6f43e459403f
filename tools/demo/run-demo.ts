/**
 * The main command's job: the whole decision pipeline (scoring, routing and audit as their own processes, on the
 * local Kafka and FerretDB) fed by a steady, realistic stream of AI-agent proposals from the reference policy's
 * business functions, with a live summary of where they went. Runs until Ctrl-C (or `--for <seconds>`), then
 * stops the stream, collects the outcomes still in flight, stops the services and prints the final summary.
 * Kafka and FerretDB keep running.
 *
 *   npm start -- [--for <seconds>] [--rate <n>] [--seed <n>]
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kafka, Producer } from 'kafkajs';
import { EVENT_TOPICS, Topic, TOPIC_SPECS } from '@oversight/contracts';
import { LEARNING_TOPICS } from '@oversight/learning';
import { ControlClient } from '@oversight/control';
import {
  createKafka,
  createProducer,
  ensureTopics,
  EventPublisher,
  parseBrokerList,
} from '@oversight/messaging';
import { LocalInfra } from '@oversight/testing';
import { AuditProgress, storeCollections } from './src/audit-progress';
import { MonitoringWatch } from './src/monitoring-watch';
import { deleteRunGroups, startGroupsAtEnd } from './src/consumer-groups';
import { ControlState } from './src/control-state';
import { fileLogger } from './src/demo-log';
import { isInteractive, parseDemoArgs, USAGE } from './src/demo-options';
import { DemoServiceName, DemoServices, missingBuilds } from './src/demo-services';
import { DEMO_FUNCTIONS, demoStream } from './src/demo-stream';
import { demoUserLines, writeDemoTokens } from './src/demo-tokens';
import { OutcomeWatcher, WATCHED_TOPICS } from './src/outcome-watcher';
import { RunTally, TallySnapshot } from './src/run-tally';
import { StreamPublisher } from './src/stream-publisher';
import { finalReport, liveSummary, progressLine, SummaryContext, whereToLookLines } from './src/summary';
import { LiveDisplay, onStopRequests } from './src/terminal';

const REDRAW_MS = 2_000;
/** Longest the demo waits, once the stream stops, for the outcomes and audit records of what it sent... */
const SETTLE_MAX_MS = 30_000;
/** ...and how long it waits while nothing moves at all. */
const SETTLE_STALL_MS = 10_000;

/** Where people act on the stream: the gateway, on its default port. */
const GATEWAY_URL = 'http://127.0.0.1:8080';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stop asked for while the demo was still starting (waiting for the infra lock, say): not a failure. */
class StoppedDuringStartUp extends Error {}

/** What the audit trail holds for the run once all is stored: proposed, scored and routed, samples, executors' reports. */
const auditExpected = (s: TallySnapshot) => 3 * s.sent + s.postHocSamples + s.execution.reports;

async function main(): Promise<number> {
  const parsed = parseDemoArgs(process.argv.slice(2), isInteractive(process.stdin.isTTY, process.env));
  if (!parsed.ok) {
    if (parsed.help) console.log(USAGE);
    else console.error(`demo: ${parsed.error}\n${USAGE}`);
    return parsed.help ? 0 : 2;
  }
  const { options } = parsed;

  const infra = new LocalInfra();
  const { KAFKA_BROKERS, MONGODB_URI } = infra.connection;
  const logsDir = path.join(infra.config.home, 'logs');
  const demoLog = path.join(logsDir, 'demo.log');
  const shown = (file: string) => path.relative(process.cwd(), file) || '.';
  const missing = missingBuilds(infra.config.workspaceRoot);
  if (missing.length) {
    console.error(
      `demo: no build of ${missing.join(', ')}; build with: npx nx run-many -t build --projects=tag:type:app`,
    );
    return 1;
  }

  // Lower-case and short: part of decisionIds and of consumer group names.
  const runId = `${Date.now().toString(36).slice(-5)}${randomBytes(2).toString('hex').slice(0, 3)}`;
  const idPrefix = `demo-${runId}-`;
  const groups: Record<Exclude<DemoServiceName, 'gateway'> | 'watch', string> = {
    scoring: `demo-${runId}-scoring`,
    routing: `demo-${runId}-routing`,
    escalation: `demo-${runId}-escalation`,
    audit: `demo-${runId}-audit`,
    learning: `demo-${runId}-learning`,
    'demo-executor': `demo-${runId}-ledger`,
    watch: `demo-${runId}-watch`,
  };
  // Dead letters count when written by a group that reads the topic the malformed messages go to.
  const tally = new RunTally(
    new Map([
      [groups.scoring, 'scoring'],
      [groups.audit, 'audit'],
    ]),
  );

  const monitoring = new MonitoringWatch({
    prometheus: `http://127.0.0.1:${infra.config.monitoring.prometheusPort}`,
    alertmanager: `http://127.0.0.1:${infra.config.monitoring.alertmanagerPort}`,
    lagExporter: `http://127.0.0.1:${infra.config.monitoring.lagExporterPort}/metrics`,
  });
  const display = new LiveDisplay();
  const say = (line: string) => display.say(`demo: ${line}`);
  let kafka: Kafka | undefined;
  let producer: Producer | undefined;
  let control: ControlState | undefined;
  let services: DemoServices | undefined;
  let watcher: OutcomeWatcher | undefined;
  let audit: AuditProgress | undefined;
  let stream: StreamPublisher | undefined;
  let collections: string[] | undefined;
  let startedAt = 0;
  let stoppedAt = 0;
  let servicesStoppedAt = 0;

  let stopRequests = 0;
  let wakeUp: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (wakeUp = resolve));
  /** A start-up step, abandoned when a stop is asked for (the process exits soon after anyway). */
  const unlessStopped = <T>(step: Promise<T>): Promise<T> =>
    Promise.race([
      step,
      stopRequested.then(() => {
        throw new StoppedDuringStartUp('stopped during start-up');
      }),
    ]);
  const restoreTerminal = onStopRequests((source) => {
    stopRequests++;
    if (stopRequests === 1) {
      say(`${source}: stopping (${source} again: without waiting for the decisions in flight)`);
      wakeUp();
    } else if (stopRequests === 2) {
      say(`${source}: not waiting for the decisions in flight (${source} again: kill the services)`);
    } else {
      say(`${source}: killing the services`);
      void (services?.kill() ?? Promise.resolve()).finally(() => process.exit(130));
    }
  });

  const context = (): SummaryContext => ({
    runId,
    elapsedMs: startedAt ? (stoppedAt || Date.now()) - startedAt : 0,
    // Until the last outcome once the services are stopped, so the rate is the pipeline's, not the wait's.
    pipelineMs: startedAt
      ? (servicesStoppedAt ? tally.lastOutcomeAt || servicesStoppedAt : Date.now()) - startedAt
      : 0,
    durationSeconds: options.durationSeconds,
    rate: options.rate,
    seed: options.seed,
    policy: control?.policyInForce() ?? '-',
    halts: control?.haltsInForce(DEMO_FUNCTIONS) ?? { touching: [], others: 0 },
    auditStored: audit?.last,
    auditExpected: auditExpected(tally.snapshot()),
    services: services?.status() ?? [],
    servicesStopped: servicesStoppedAt > 0,
    warnings: [
      ...(stream?.lastError ? [`publishing failed: ${stream.lastError}`] : []),
      ...(audit?.lastError ? [`reading the audit service's progress failed: ${audit.lastError}`] : []),
      ...(audit && audit.waitingMs > 20_000
        ? [
            `Kafka has not answered for the audit service's offsets for ${Math.round(audit.waitingMs / 1000)} s (npm run infra -- status)`,
          ]
        : []),
      ...(watcher?.unreadable ? [`${watcher.unreadable} outcome messages could not be read`] : []),
    ],
    where: {
      logsDir: shown(logsDir),
      serviceLogs: (services?.logFiles ?? []).map(shown),
      demoLog: shown(demoLog),
      mongodbUri: MONGODB_URI,
      collections,
      kafkaBrokers: KAFKA_BROKERS,
      monitoring: monitoring.urls,
      operationsUrl: `${GATEWAY_URL}/#/operations`,
    },
    monitoring: { snapshot: monitoring.last, error: monitoring.lastError },
  });
  const show = () => {
    const ctx = context();
    const snapshot = tally.snapshot();
    if (display.inPlace) display.draw(liveSummary(snapshot, ctx));
    else console.log(progressLine(snapshot, ctx));
  };

  /** Start-up and the run itself; returns early when a stop is requested during start-up. */
  const run = async () => {
    say(
      'starting Kafka, FerretDB, the lag exporter, Prometheus and Alertmanager unless they are running (npm run infra -- up)',
    );
    await unlessStopped(
      infra.up().catch((error: Error) => {
        throw new Error(
          `${error.message}\n  the local infrastructure is not answering; see npm run infra -- status and ` +
            `${shown(logsDir)}/ (a hung broker or store: npm run infra -- down, then up)`,
        );
      }),
    );
    say(`Kafka ${infra.config.kafka.version} at ${KAFKA_BROKERS}, FerretDB at ${MONGODB_URI}`);
    say(
      `Prometheus at ${monitoring.urls.prometheus}, Alertmanager at ${monitoring.urls.alertmanager}, ` +
        `lag exporter at ${monitoring.urls.lagExporter}`,
    );

    const logger = fileLogger(demoLog);
    kafka = createKafka({ brokers: parseBrokerList(KAFKA_BROKERS), clientId: `demo-${runId}`, logger });
    await unlessStopped(ensureTopics(kafka, TOPIC_SPECS, { logger }));
    await unlessStopped(
      startGroupsAtEnd(kafka, [
        { groupId: groups.scoring, topics: [Topic.DecisionProposed] },
        { groupId: groups.routing, topics: [Topic.DecisionScored] },
        { groupId: groups.escalation, topics: [Topic.ReviewRequested] },
        { groupId: groups.audit, topics: EVENT_TOPICS },
        { groupId: groups.learning, topics: [...LEARNING_TOPICS] },
        { groupId: groups.watch, topics: WATCHED_TOPICS },
        { groupId: `executor-${groups['demo-executor']}`, topics: [Topic.ActionApproved] },
      ]),
    );
    say(
      `run ${runId}: decisions ${idPrefix}000001 on, consumer groups demo-${runId}-*; the groups start at the ` +
        'end of their topics, so the pipeline handles what is published from now on',
    );

    producer = createProducer(kafka);
    await producer.connect();
    control = new ControlState(kafka, logger);
    await unlessStopped(control.start());
    const publisher = new EventPublisher(producer);
    const policy = await control.ensureReferencePolicy(new ControlClient(publisher, 'demo'), 'demo');
    if (policy.action === 'unchanged') {
      say(
        `policy reference v${policy.version} is in force, as in reference.yaml (published by ${policy.publishedBy})`,
      );
    } else {
      say(
        `published policy reference v${policy.version} from libs/policy/policies/reference.yaml` +
          (policy.replaced
            ? ` (v${policy.replaced.version}, by ${policy.replaced.publishedBy}, differed)`
            : ''),
      );
    }
    for (const halt of control.haltsInForce(DEMO_FUNCTIONS).touching) {
      say(`! halt in force, ${halt}: its auto-approvals go to review until it is resumed`);
    }
    if (stopRequests) return;

    services = new DemoServices(
      (name) => ({
        KAFKA_BROKERS,
        MONGODB_URI,
        LOG_LEVEL: 'log',
        LOG_FORMAT: 'json',
        KAFKA_CLIENT_ID: `${name}-demo`,
        POLICY_ID: 'reference',
        SCORING_CONSUMER_GROUP: groups.scoring,
        ROUTING_CONSUMER_GROUP: groups.routing,
        ESCALATION_CONSUMER_GROUP: groups.escalation,
        AUDIT_CONSUMER_GROUP: groups.audit,
        LEARNING_CONSUMER_GROUP: groups.learning,
        // Its consumer group is executor-<name>.
        EXECUTOR_NAME: groups['demo-executor'],
      }),
      logsDir,
    );
    say(
      'starting scoring, routing, escalation, audit, learning, the gateway and the demo executor (dist/apps/*/main.js)',
    );
    await unlessStopped(services.start());
    say(`started ${services.pids}; their output goes to ${services.logFiles.map(shown).join(', ')}`);
    const tokensFile = path.join(infra.config.home, 'demo-tokens.sh');
    await writeDemoTokens(tokensFile);
    for (const line of demoUserLines(shown(tokensFile), GATEWAY_URL)) say(line);

    const counter = new AuditProgress(kafka, groups.audit, EVENT_TOPICS);
    audit = counter;
    await unlessStopped(counter.connect());
    collections = await storeCollections(MONGODB_URI).catch(() => undefined);
    watcher = new OutcomeWatcher(kafka, groups.watch, tally);
    await unlessStopped(watcher.start());
    if (stopRequests) return;

    const length = options.durationSeconds ? `for ${options.durationSeconds} s` : 'until stopped';
    const keys = process.stdin.isTTY ? 'Ctrl-C or q' : 'Ctrl-C or SIGTERM';
    say(`publishing ~${options.rate} decisions/s (seed ${options.seed}) ${length}; ${keys} stops it`);
    if (!display.inPlace) for (const line of whereToLookLines(context().where)) console.log(line);

    stream = new StreamPublisher(producer, demoStream({ seed: options.seed, idPrefix }), tally, options.rate);
    startedAt = Date.now();
    stream.start();
    const until = options.durationSeconds ? startedAt + options.durationSeconds * 1000 : Infinity;
    while (!stopRequests && Date.now() < until) {
      void counter.refresh();
      void monitoring.refresh();
      await Promise.race([stopRequested, sleep(Math.min(REDRAW_MS, until - Date.now()))]);
      if (!stopRequests && Date.now() < until) show();
    }
  };

  /** After the stream stops: waits until what was sent has come out of the pipeline, or stops moving. */
  const settle = async (counter: AuditProgress) => {
    const deadline = Date.now() + SETTLE_MAX_MS;
    let progress = '';
    let movedAt = Date.now();
    let shownAt = Date.now();
    while (stopRequests < 2 && Date.now() < deadline && Date.now() - movedAt < SETTLE_STALL_MS) {
      // Never blocks on the store: a count that does not come back must not hold up the stop.
      void counter.refresh();
      const stored = counter.last ?? 0;
      const s = tally.snapshot();
      if (s.inFlight === 0 && s.deadLetters.total >= s.deadLetters.expected && stored >= auditExpected(s))
        return;
      const now = `${s.decided}/${s.deadLetters.total}/${stored}`;
      if (now !== progress) [progress, movedAt] = [now, Date.now()];
      if (Date.now() - shownAt >= REDRAW_MS) {
        shownAt = Date.now();
        show();
      }
      await sleep(500);
    }
    const s = tally.snapshot();
    say(
      `stopped waiting: ${s.inFlight} decisions in flight, ` +
        `${s.deadLetters.expected - s.deadLetters.total} dead letters and ` +
        `${auditExpected(s) - (counter.last ?? 0)} audit records still to come`,
    );
  };

  let failure: Error | undefined;
  try {
    await run();
  } catch (error) {
    if (!(error instanceof StoppedDuringStartUp)) failure = error as Error;
  }

  // Shutdown: the stream, what is still in flight, the services, the clients; then the final summary.
  try {
    if (stream) {
      await stream.stop();
      stoppedAt = Date.now();
      if (!failure && audit) {
        say('stream stopped; waiting for the decisions in flight');
        await settle(audit);
      }
    }
    if (services) {
      say('stopping the services (SIGTERM: each finishes what it has in hand and commits)');
      const killed = await services.stop();
      servicesStoppedAt = Date.now();
      if (killed.length) say(`! ${killed.join(', ')} did not stop within 40 s and were killed`);
    }
    if (audit) await Promise.race([audit.refresh(), sleep(10_000)]);
  } catch (error) {
    failure ??= error as Error;
  } finally {
    await Promise.allSettled([watcher?.stop(), control?.stop(), producer?.disconnect(), audit?.close()]);
    if (kafka) await deleteRunGroups(kafka, runId);
  }

  if (stream) display.finish(finalReport(tally.snapshot(), context()));
  restoreTerminal();
  if (failure) {
    console.error(`demo: failed: ${failure.message}`);
    if (services) console.error(`demo: service output: ${services.logFiles.map(shown).join(', ')}`);
  }
  if (kafka)
    console.log(
      'demo: Kafka, FerretDB and the monitoring are still running; stop them with: npm run infra -- down',
    );
  return failure ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`demo: failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
