/**
 * The soak: the whole platform as `npm start` runs it (every service from its build, as its own process), fed
 * the demo's stream at a fixed rate for many minutes while simulated reviewers work their queues through the
 * gateway and a probe loop times every read a person or an upstream system waits for. Each level starts on a
 * store that already holds many audit records (seeded through the real pipeline when short). Every minute it
 * records decisions in flight, audit and executor lag, read percentiles, 5xx, CPU and memory per process.
 *
 *   npm run bench -- --soak [--rate N --minutes M] [--seed-records N] [--seed-rate N] [--smoke]
 *
 * Exits 0 whether or not the targets are met; non-zero only when the run itself fails (a service crashed, a
 * stage stalled, a decision or an audit record lost).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Admin, Kafka, Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { EVENT_TOPICS, Topic, TOPIC_SPECS } from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { LEARNING_TOPICS } from '@oversight/learning';
import {
  ControlTopicView,
  createKafka,
  createProducer,
  ensureTopics,
  EventPublisher,
  MessagingLogger,
  parseBrokerList,
} from '@oversight/messaging';
import { STORE_CONNECTION_OPTIONS } from '@oversight/persistence';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import {
  dropTestDatabase,
  LocalInfra,
  PlatformProcesses,
  PlatformService,
  testDatabaseUri,
  uniqueName,
} from '@oversight/testing';
import { AuditRecordView, AuditWatch } from './audit-watch';
import { demoStream, RunTally, StreamPublisher } from './demo-parts';
import { positionGroupAtEnd, topicEnds } from './kafka-positions';
import { ProcessSampler, WatchedProcess } from './process-sampler';
import { fmt, ms } from './report';
import { codeInfo, machineInfo, RESULTS_DIR, ROOT, say } from './run-context';
import { BenchFailure, RunGuard } from './run-guard';
import { GatewayClient, READS, ReadProbe, SimulatedReviewer } from './soak-people';
import { SoakObserver } from './soak-observer';
import { SoakLevel, SoakPlan } from './soak-plan';
import {
  minuteLine,
  renderSoakMarkdown,
  SoakLevelResult,
  SoakMinute,
  SoakResults,
  soakTargets,
  writeSoakResults,
} from './soak-report';
import { monoNow, round, sleep } from './stats';

/** Every service of `npm start`, in the order it lists them. */
const SERVICES: readonly PlatformService[] = [
  'scoring',
  'routing',
  'escalation',
  'audit',
  'learning',
  'gateway',
  'demo-executor',
];

/** The seeded store is kept between runs under this name (the smoke run uses a throw-away one). */
const SOAK_DATABASE = 'oversight-soak';

const soakLogger: MessagingLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, fields) => say(`${message} ${fields ? JSON.stringify(fields) : ''}`),
  error: (message, fields) => say(`${message} ${fields ? JSON.stringify(fields) : ''}`),
};

/** Where a group stands: the gauges one sample reads. */
interface Gauges {
  inFlight: number;
  routed: number;
  sent: number;
  auditLag: number;
  auditBacklog: number;
  auditCommitted: bigint;
  executorLag: number;
  executorBacklog: number;
  executorCommitted: bigint;
}

export class SoakRun {
  private readonly guard = new RunGuard();
  private readonly cleanup: { name: string; run: () => Promise<unknown> }[] = [];
  private readonly runId = uniqueName('soak');
  private readonly idPrefix = `${this.runId}-`;
  private readonly infra = new LocalInfra();
  private readonly database: string;
  private readonly kafka: Kafka;
  private readonly results: SoakResults;
  private admin!: Admin;
  private producer!: Producer;
  private platform!: PlatformProcesses;
  private observer!: SoakObserver;
  private sampler!: ProcessSampler;
  private client!: GatewayClient;
  private records!: MongoClient;
  private tally!: RunTally;
  /** The last count of the trail: the next level starts on it, so the store is counted once between levels. */
  private storeRecords = 0;

  constructor(private readonly plan: SoakPlan) {
    this.kafka = createKafka({
      brokers: parseBrokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
      clientId: 'bench-soak',
      logger: soakLogger,
    });
    const base = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/oversight');
    base.pathname = `/${SOAK_DATABASE}`;
    this.database = plan.smoke ? testDatabaseUri('soak') : base.toString();
    this.results = {
      mode: 'soak',
      scale: plan.smoke ? 'smoke' : 'full',
      store: process.env.STORE_BACKEND?.trim() || 'ferretdb-sqlite',
      status: 'failed',
      startedAt: new Date().toISOString(),
      machine: machineInfo(this.infra),
      code: codeInfo(),
      plan: { ...plan },
      ids: { runId: this.runId, policyId: '', database: new URL(this.database).pathname.slice(1) },
      haltsInForce: [],
      levels: [],
    };
    process.once('SIGINT', () => this.guard.fail(new BenchFailure('interrupted (Ctrl-C)')));
  }

  /** Runs the soak, always cleans up, writes and prints the results; resolves with the exit code. */
  async run(): Promise<number> {
    try {
      await this.phases();
      this.results.status = 'completed';
    } catch (error) {
      const failure =
        error instanceof BenchFailure ? error : new BenchFailure((error as Error).stack ?? String(error));
      this.results.failure = { message: failure.message, details: failure.details, serviceLogTails: {} };
      say(`FAILED: ${failure.message}`);
      for (const line of failure.details) say(`  ${line}`);
      for (const name of SERVICES) {
        const tail = (this.platform?.process(name).output ?? '').trimEnd().split('\n').slice(-15);
        this.results.failure.serviceLogTails[name] = tail;
      }
    } finally {
      for (const step of this.cleanup.reverse()) {
        await step.run().catch((error: Error) => say(`clean-up: ${step.name} failed: ${error.message}`));
      }
    }
    this.results.finishedAt = new Date().toISOString();
    for (const file of writeSoakResults(RESULTS_DIR, this.results)) say(`wrote ${path.relative(ROOT, file)}`);
    process.stdout.write(`${renderSoakMarkdown(this.results)}\n`);
    return this.results.status === 'completed' ? 0 : 1;
  }

  private onCleanup(name: string, run: () => Promise<unknown>) {
    this.cleanup.push({ name, run });
  }

  private async phases(): Promise<void> {
    const { plan } = this;
    const missing = SERVICES.filter((name) => !fs.existsSync(path.join(ROOT, 'dist/apps', name, 'main.js')));
    if (missing.length) {
      throw new BenchFailure(
        `no build of ${missing.join(', ')}; build first: npx nx run-many -t build --projects=tag:type:app`,
      );
    }
    say(
      `soak ${this.runId}: ${plan.levels.map((l) => `${l.rate}/s for ${l.minutes} min`).join(', then ')}, ` +
        `on a store of at least ${fmt(plan.seedRecords)} audit records (database ${this.results.ids.database})`,
    );

    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.onCleanup('disconnect the admin client', () => this.admin.disconnect());
    await ensureTopics(this.kafka, TOPIC_SPECS, { logger: soakLogger });
    await this.waitForLeaders();

    // Counting scans the whole trail: done outside the measured minutes only, with room for a large store.
    this.records = new MongoClient(this.database, { ...STORE_CONNECTION_OPTIONS, socketTimeoutMS: 600_000 });
    await this.records.connect();
    if (plan.smoke) this.onCleanup('drop the soak database', () => dropTestDatabase(this.database));
    this.onCleanup('close the store connection', () => this.records.close());

    say('starting the platform');
    await this.startPlatform();
    await this.seed();
    for (const level of plan.levels) await this.runLevel(level);
    await this.verifyAuditTrail();
  }

  /** Topics just created on a fresh broker answer offset requests only once their leaders are elected. */
  private async waitForLeaders(): Promise<void> {
    const deadline = monoNow() + 30_000;
    for (;;) {
      try {
        await topicEnds(this.admin, [...TOPIC_SPECS.map((t) => t.name), Topic.DeadLetter]);
        return;
      } catch (error) {
        if (monoNow() > deadline) throw error;
        await sleep(500);
      }
    }
  }

  private auditEvents() {
    return this.records.db().collection<AuditRecordView>('audit_events');
  }

  private async countRecords(): Promise<number> {
    const started = monoNow();
    const count = await this.auditEvents().countDocuments({});
    this.storeRecords = count;
    say(
      `the audit trail holds ${count.toLocaleString('en-US')} records (counted in ${ms(monoNow() - started)})`,
    );
    return count;
  }

  /** Groups at the end of their topics, the reference policy under the run's id, the reader, the services. */
  private async startPlatform(): Promise<void> {
    this.platform = new PlatformProcesses(SERVICES, {
      MONGODB_URI: this.database,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      // An API-only gateway: the console's build is not needed to measure its calls.
      CONSOLE_DIR: 'off',
    });
    const env = this.platform.env;
    this.results.ids.policyId = env.POLICY_ID;
    const groups: [string, readonly string[]][] = [
      [env.SCORING_CONSUMER_GROUP, [Topic.DecisionProposed]],
      [env.ROUTING_CONSUMER_GROUP, [Topic.DecisionScored]],
      [env.ESCALATION_CONSUMER_GROUP, [Topic.ReviewRequested]],
      [env.AUDIT_CONSUMER_GROUP, EVENT_TOPICS],
      [env.LEARNING_CONSUMER_GROUP, LEARNING_TOPICS],
      [this.executorGroup, [Topic.ActionApproved, Topic.ActionResolution, Topic.ActionReversal]],
    ];
    // kafkajs positions a new group one topic at a time, about 5 s each: the groups go side by side.
    say(`positioning ${groups.length} consumer groups and the bench's reader at the end of their topics`);
    this.tally = this.newTally();
    this.observer = new SoakObserver(this.kafka, `${this.runId}-observer`, this.admin, this.tally);
    this.onCleanup('stop the topic reader', () => this.observer.stop());
    await Promise.all([
      ...groups.map(([groupId, topics]) => positionGroupAtEnd(this.admin, groupId, topics)),
      this.observer.start(),
    ]);
    this.onCleanup('delete the consumer groups', () =>
      this.admin.deleteGroups([...groups.map(([id]) => id), `${this.runId}-observer`]),
    );

    this.producer = createProducer(this.kafka);
    await this.producer.connect();
    this.onCleanup('disconnect the producer', () => this.producer.disconnect());
    const control = new ControlClient(new EventPublisher(this.producer), 'bench-soak');
    await control.publishPolicy(
      { ...loadPolicyFile(REFERENCE_POLICY_FILE), policyId: env.POLICY_ID },
      'bench-soak',
    );
    // Halts are shared by every deployment on the broker; one in force changes routes, so it is reported.
    say('reading the halts in force');
    const halts = new ControlTopicView(this.kafka, Topic.HaltChanged, { logger: soakLogger });
    await halts.start();
    this.results.haltsInForce = halts
      .values()
      .filter((e) => e.payload.halted)
      .map((e) => `${e.payload.scope}: ${e.payload.reason} (${e.payload.changedBy})`);
    await halts.stop();
    for (const halt of this.results.haltsInForce) say(`halt in force, ${halt}`);

    say(`starting ${SERVICES.join(', ')} (dist/apps/*/main.js)`);
    this.onCleanup('stop the services', () => this.platform.stop());
    await this.platform.start();
    const watched: WatchedProcess[] = SERVICES.map((name) => ({
      name,
      pid: this.platform.process(name).pid as number,
      essential: true,
    }));
    const kafkaPid = this.infra.kafka.daemon.pid();
    const ferretPid = this.infra.ferretdb.daemon.pid();
    if (kafkaPid) watched.push({ name: 'kafka', pid: kafkaPid, essential: false });
    if (ferretPid) watched.push({ name: 'ferretdb', pid: ferretPid, essential: false });
    // Once a second: a 30-minute level needs per-minute means, not the 200 ms peaks of the short bench.
    this.sampler = new ProcessSampler(
      watched,
      (name) => {
        const tail = this.platform
          .process(name as PlatformService)
          .output.trimEnd()
          .split('\n')
          .slice(-20);
        this.guard.fail(new BenchFailure(`the ${name} service exited during the run`, tail));
      },
      1_000,
    );
    this.sampler.start();
    this.onCleanup('stop the sampler', async () => this.sampler.stop());
    this.client = new GatewayClient(this.platform.gatewayUrl, this.plan.readTimeoutMs);
  }

  private get executorGroup(): string {
    return `executor-${this.platform.env.EXECUTOR_NAME}`;
  }

  /** Dead letters count when written by the groups that read the proposals, as in the demo. */
  private newTally(): RunTally {
    const env = this.platform.env;
    return new RunTally(
      new Map([
        [env.SCORING_CONSUMER_GROUP, 'scoring'],
        [env.AUDIT_CONSUMER_GROUP, 'audit'],
      ]),
    );
  }

  private stream(phase: string, rate: number): StreamPublisher {
    say('starting the topic reader');
    this.tally = this.newTally();
    this.observer.countInto(this.tally);
    const stream = demoStream({ seed: this.plan.seed, idPrefix: `${this.idPrefix}${phase}-` });
    return new StreamPublisher(this.producer, stream, this.tally, rate, 'soak-agents');
  }

  private async gauges(): Promise<Gauges> {
    const s = this.tally.snapshot();
    const audit = await this.observer.delay(this.platform.env.AUDIT_CONSUMER_GROUP, EVENT_TOPICS);
    const executor = await this.observer.delay(this.executorGroup, [Topic.ActionApproved]);
    this.observer.trim(audit.positions, executor.positions);
    return {
      inFlight: s.inFlight,
      routed: s.decided,
      sent: s.sent,
      auditLag: audit.seconds,
      auditBacklog: audit.messages,
      auditCommitted: audit.committed,
      executorLag: executor.seconds,
      executorBacklog: executor.messages,
      executorCommitted: executor.committed,
    };
  }

  /**
   * Publishes the demo's stream through the real pipeline, faster than any measured level, until the trail
   * will hold enough records, then waits for the audit service to store them and counts once.
   */
  private async seed(): Promise<void> {
    const { plan } = this;
    const before = await this.countRecords();
    const seed = { recordsBefore: before, target: plan.seedRecords, seeded: false, decisions: 0, seconds: 0 };
    this.results.seed = { ...seed, recordsAfter: before };
    if (before >= plan.seedRecords) {
      say(`seed: the store already holds ${fmt(before)} audit records; not seeding`);
      return;
    }
    const needed = plan.seedRecords - before;
    say(`seed: ${fmt(needed)} more audit records at ${plan.seedRate} decisions/s through the pipeline`);
    const started = monoNow();
    const stream = this.stream('seed', plan.seedRate);
    stream.start();
    this.onCleanup('stop the seed stream', () => stream.stop());
    let shown = monoNow();
    let gauges = await this.gauges();
    let progress = { at: monoNow(), committed: gauges.auditCommitted };
    while (this.observer.auditRecordsSeen < needed) {
      this.guard.check();
      await sleep(this.plan.sampleMs);
      gauges = await this.gauges();
      progress = this.checkProgress(
        'the audit service (seeding)',
        gauges.auditCommitted,
        gauges.auditBacklog,
        progress,
      );
      if (monoNow() - shown > 30_000) {
        shown = monoNow();
        say(
          `seed: ${fmt(this.observer.auditRecordsSeen)} of ${fmt(needed)} records produced, ${fmt(gauges.sent)} ` +
            `decisions sent, audit lag ${ms(gauges.auditLag * 1000)}`,
        );
      }
    }
    await stream.stop();
    seed.decisions = this.tally.snapshot().sent;
    await this.drain('seed');
    seed.seconds = round((monoNow() - started) / 1000, 1);
    const after = await this.countRecords();
    this.results.seed = { ...seed, seeded: true, recordsAfter: after };
    if (after < plan.seedRecords) {
      throw new BenchFailure(
        `after seeding the audit trail holds ${fmt(after)} records, fewer than ${fmt(plan.seedRecords)}`,
        [`${fmt(this.observer.auditRecordsSeen)} events of the seed were seen on the topics`],
      );
    }
  }

  /** Fails the run when a group with work left committed nothing for the stall timeout. */
  private checkProgress(
    who: string,
    committed: bigint,
    backlog: number,
    last: { at: number; committed: bigint },
  ): { at: number; committed: bigint } {
    if (committed !== last.committed || backlog === 0) return { at: monoNow(), committed };
    if (monoNow() - last.at > this.plan.stallTimeoutMs) {
      throw new BenchFailure(
        `${who} made no progress for ${this.plan.stallTimeoutMs / 1000} s with ${fmt(backlog)} messages to go`,
      );
    }
    return last;
  }

  /**
   * After a stream stops: waits until every decision sent has been routed and the audit service and the
   * executor have caught up, failing when nothing moves for the stall timeout. Returns how long it took (s).
   */
  private async drain(phase: string): Promise<number> {
    const started = monoNow();
    let gauges = await this.gauges();
    let routing = { at: monoNow(), routed: gauges.routed };
    let audit = { at: monoNow(), committed: gauges.auditCommitted };
    let executor = { at: monoNow(), committed: gauges.executorCommitted };
    while (gauges.inFlight > 0 || gauges.auditBacklog > 0 || gauges.executorBacklog > 0) {
      this.guard.check();
      await sleep(1_000);
      gauges = await this.gauges();
      if (gauges.routed !== routing.routed) routing = { at: monoNow(), routed: gauges.routed };
      else if (gauges.inFlight > 0 && monoNow() - routing.at > this.plan.stallTimeoutMs) {
        const s = this.tally.snapshot();
        throw new BenchFailure(
          `after ${phase}, ${fmt(gauges.inFlight)} decisions got no routing outcome for ${this.plan.stallTimeoutMs / 1000} s`,
          [
            `sent ${s.sent}, scored ${s.scored}, routed ${s.decided}, dead letters of decisions ${s.deadLetters.ofDecisions}`,
          ],
        );
      }
      audit = this.checkProgress(
        `the audit service (after ${phase})`,
        gauges.auditCommitted,
        gauges.auditBacklog,
        audit,
      );
      executor = this.checkProgress(
        `the executor (after ${phase})`,
        gauges.executorCommitted,
        gauges.executorBacklog,
        executor,
      );
    }
    const seconds = round((monoNow() - started) / 1000, 1);
    say(`${phase}: drained in ${fmt(seconds)} s`);
    return seconds;
  }

  private async runLevel(level: SoakLevel): Promise<void> {
    const { plan } = this;
    const phase = `r${level.rate}`;
    const storeRecordsAtStart = this.storeRecords;
    say(`level ${level.rate}/s for ${level.minutes} min: starting`);
    const tokens = new Map<string, string>();
    for (const user of [...new Set([...plan.reviewers, 'vera', 'audrey'])]) {
      tokens.set(user, await this.client.signIn(user));
    }
    const probe = new ReadProbe(
      this.client,
      { supervisor: tokens.get('vera') as string, auditor: tokens.get('audrey') as string },
      () => this.observer.recentDecision(),
      plan.probePauseMs,
      this.guard,
    );
    const reviewers = plan.reviewers.map(
      (user) =>
        new SimulatedReviewer(
          user,
          tokens.get(user) as string,
          this.client,
          plan.reviewerPauseMs,
          this.guard,
        ),
    );
    const stream = this.stream(phase, level.rate);
    // Fresh windows: what happened while seeding or draining is not part of the level.
    this.client.takeWindow();
    this.client.takeLevel();
    this.sampler.takeWindow();
    const startedAt = new Date().toISOString();
    const levelStart = monoNow();
    stream.start();
    probe.start();
    for (const reviewer of reviewers) reviewer.start();
    const stopAll = async () => {
      await stream.stop();
      await Promise.all([probe.stop(), ...reviewers.map((r) => r.stop())]);
    };
    this.onCleanup(`stop the ${phase} load`, stopAll);

    const series: SoakMinute[] = [];
    let gauges = await this.gauges();
    let routing = { at: monoNow(), routed: gauges.routed };
    let audit = { at: monoNow(), committed: gauges.auditCommitted };
    let executor = { at: monoNow(), committed: gauges.executorCommitted };
    try {
      for (let minute = 1; minute <= level.minutes; minute++) {
        const cpuBefore = this.sampler.cpu();
        const minuteEnd = levelStart + minute * plan.minuteMs;
        const worst = { inFlight: 0, auditLag: 0, executorLag: 0, auditBacklog: 0, executorBacklog: 0 };
        while (monoNow() < minuteEnd) {
          this.guard.check();
          await sleep(Math.min(plan.sampleMs, Math.max(0, minuteEnd - monoNow())));
          gauges = await this.gauges();
          worst.inFlight = Math.max(worst.inFlight, gauges.inFlight);
          worst.auditLag = Math.max(worst.auditLag, gauges.auditLag);
          worst.executorLag = Math.max(worst.executorLag, gauges.executorLag);
          worst.auditBacklog = Math.max(worst.auditBacklog, gauges.auditBacklog);
          worst.executorBacklog = Math.max(worst.executorBacklog, gauges.executorBacklog);
          if (gauges.routed !== routing.routed || gauges.inFlight === 0) {
            routing = { at: monoNow(), routed: gauges.routed };
          } else if (monoNow() - routing.at > plan.stallTimeoutMs) {
            throw new BenchFailure(
              `routing decided nothing for ${plan.stallTimeoutMs / 1000} s with ${fmt(gauges.inFlight)} decisions in flight`,
            );
          }
          audit = this.checkProgress('the audit service', gauges.auditCommitted, gauges.auditBacklog, audit);
          executor = this.checkProgress(
            'the executor',
            gauges.executorCommitted,
            gauges.executorBacklog,
            executor,
          );
        }
        const http = this.client.takeWindow();
        const cpu = ProcessSampler.between(cpuBefore, this.sampler.cpu(), this.results.machine.cores);
        const rss = this.sampler.takeWindow();
        const m: SoakMinute = {
          minute,
          at: new Date().toISOString(),
          sent: gauges.sent,
          routed: gauges.routed,
          inFlight: worst.inFlight,
          auditLagSeconds: round(worst.auditLag, 2),
          executorLagSeconds: round(worst.executorLag, 2),
          auditBacklog: worst.auditBacklog,
          executorBacklog: worst.executorBacklog,
          reads: http.reads,
          requests: http.requests,
          http5xx: http.http5xx,
          reviewerActs: http.reviewerActs,
          cpuCores: cpu.coresByProcess,
          machineBusyCores: cpu.machineBusyCores,
          rssMB: Object.fromEntries(Object.entries(rss).map(([name, r]) => [name, r.meanMB])),
          httpFailures: http.failures,
        };
        series.push(m);
        say(minuteLine(level.rate, m));
        for (const line of http.failures) say(`  ${line}`);
      }
    } finally {
      await stopAll();
    }
    const readsMs = this.client.takeLevel();
    const drainSeconds = await this.drain(`the ${level.rate}/s level`);
    const peakRssMB: Record<string, number> = {};
    for (const m of series) {
      for (const [name, mb] of Object.entries(m.rssMB)) peakRssMB[name] = Math.max(peakRssMB[name] ?? 0, mb);
    }
    const result: Omit<SoakLevelResult, 'targets'> = {
      rate: level.rate,
      minutes: level.minutes,
      startedAt,
      decisions: this.tally.snapshot().sent,
      maxInFlight: Math.max(0, ...series.map((m) => m.inFlight)),
      maxAuditLagSeconds: Math.max(0, ...series.map((m) => m.auditLagSeconds)),
      maxExecutorLagSeconds: Math.max(0, ...series.map((m) => m.executorLagSeconds)),
      readP95Ms: Object.fromEntries(READS.map((r) => [r, readsMs[r]?.p95 ?? NaN])),
      readsMs,
      http5xx: series.reduce((sum, m) => sum + m.http5xx, 0),
      peakRssMB,
      storeRecordsAtStart,
      storeRecords: await this.countRecords(),
      drainSeconds,
      series,
    };
    this.results.levels.push({ ...result, targets: soakTargets(result, SERVICES) });
    const s = this.tally.snapshot();
    if (s.deadLetters.ofDecisions > 0) {
      throw new BenchFailure(
        `${s.deadLetters.ofDecisions} well-formed decisions of the ${level.rate}/s level were dead-lettered`,
      );
    }
  }

  /** Every event of the run's decisions that went over the topics is in the trail (one scan, at the very end). */
  private async verifyAuditTrail(): Promise<void> {
    say('checking that the audit trail holds every event of the run (one scan of audit_events)');
    const watch = new AuditWatch(
      this.auditEvents(),
      this.admin,
      this.platform.env.AUDIT_CONSUMER_GROUP,
      EVENT_TOPICS,
    );
    const verification = await watch.verify(this.idPrefix, this.observer.expectedAuditRecords());
    this.results.audit = { expectedEvents: verification.expected, storedEvents: verification.stored };
    if (verification.missing.length) {
      throw new BenchFailure(
        `the audit trail lost ${verification.missing.length} of ${verification.expected} events of the run`,
        verification.missing.slice(0, 20).map((what) => `not in audit_events: ${what}`),
      );
    }
  }
}
