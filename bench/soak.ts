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
import { EVENT_TOPICS, PLATFORM_SERVICES, PlatformService, Topic, TOPIC_SPECS } from '@oversight/contracts';
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
import { loadPolicyFile, PolicyDocument, REFERENCE_POLICY_FILE } from '@oversight/policy';
import {
  dropTestDatabase,
  LocalInfra,
  loadInfraConfig,
  PlatformProcesses,
  testDatabaseUri,
  uniqueName,
} from '@oversight/testing';
import { AuditRecordView, AuditWatch } from './audit-watch';
import { demoStream, RunTally, startGroupsAtEnd, StreamPublisher, withTimeout } from './demo-parts';
import { topicEnds } from './kafka-positions';
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
const SERVICES: readonly PlatformService[] = PLATFORM_SERVICES;

/**
 * What runs while seeding: the path from a proposal to its routing outcome and the trail. Under the seed policy
 * (every route auto) nothing waits for people, so no review piles up before the first level; the executor,
 * escalation and learning groups are placed after the seed, so its approvals stay history.
 */
const SEED_SERVICES: readonly PlatformService[] = ['scoring', 'routing', 'audit'];

/** The seeded store is kept between runs under this name (the smoke run uses a throw-away one). */
const SOAK_DATABASE = 'oversight-soak';

/** Whole numbers as they are (fmt gives small ones decimals, as for rates and seconds). */
const count = (value: number) => value.toLocaleString('en-US');

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
  /** The audit group's committed offset per partition: what it has stored, counted without the store. */
  auditPositions: Map<string, number>;
  executorLag: number;
  executorBacklog: number;
  /**
   * The executor's committed offsets summed plus the reports it published: it commits once per fetched batch,
   * which at a few actions a second can take minutes, while each action carried out is reported at once.
   */
  executorProgress: bigint;
}

/** A sample that takes longer than this means the broker stopped answering: the run fails instead of hanging. */
const GAUGES_TIMEOUT_MS = 60_000;
/** What a drain ended with: how long it took, and what was left when it gave up. */
interface Drain {
  seconds: number;
  drained: boolean;
  left?: { inFlight: number; auditBacklog: number; executorBacklog: number };
}

/** What the executor reads. */
const EXECUTOR_TOPICS = [Topic.ActionApproved, Topic.ActionResolution, Topic.ActionReversal];

/**
 * The seed policy: the given one with every route of a named function auto and what it does not name blocked
 * (the policy's defaults may not run on their own), so no seeded decision waits for anyone (see SEED_SERVICES).
 */
export function seedPolicy(policy: PolicyDocument): PolicyDocument {
  const withRoutes = (value: unknown, route: string, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => withRoutes(item, route));
    if (value === null || typeof value !== 'object') return value;
    if (key === 'routes') return Object.fromEntries(Object.keys(value).map((tier) => [tier, route]));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withRoutes(v, route, k)]));
  };
  return {
    ...policy,
    version: 1,
    defaults: withRoutes(policy.defaults, 'block') as PolicyDocument['defaults'],
    functions: withRoutes(policy.functions, 'auto') as PolicyDocument['functions'],
  };
}

/** How often seeding and draining say where they are. */
const PROGRESS_EVERY_MS = 10_000;

/** Offsets committed past `start`, all partitions together. */
function committedSince(start: Map<string, number>, now: Map<string, number>): number {
  let total = 0;
  for (const [key, offset] of now) {
    const from = start.get(key);
    if (from !== undefined && offset > from) total += offset - from;
  }
  return total;
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
  private control!: ControlClient;
  private tally!: RunTally;
  /**
   * The trail counted once before anything is published, and the audit group's positions then: from there on,
   * what it holds is that count plus what the audit service committed (less what it dead-lettered), so the
   * store is never scanned while it is being measured.
   */
  private trailAtStart = 0;
  private auditStart = new Map<string, number>();

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
      store: `ferretdb-${loadInfraConfig().store.backend}`,
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
        `on a store of at least ${count(plan.seedRecords)} audit records (database ${this.results.ids.database})`,
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

    this.trailAtStart = await this.countRecords();
    const seeding = this.trailAtStart < plan.seedRecords;
    say('starting the platform');
    await this.startPlatform(seeding);
    if (seeding) {
      await this.seed();
      await this.startTheRest();
    } else {
      this.results.seed = { ...this.seedFigures(), recordsAfter: this.trailAtStart };
      say(`seed: the store already holds ${count(this.trailAtStart)} audit records; not seeding`);
    }
    this.watchProcesses();
    for (const level of plan.levels) await this.runLevel(level);
    await this.verifyAuditTrail();
  }

  /**
   * Topics just created on a fresh broker answer offset requests only once their leaders are elected. Asked
   * through a client of its own that logs nothing: "not the leader" is the expected answer meanwhile.
   */
  private async waitForLeaders(): Promise<void> {
    const quiet = () => undefined;
    const admin = createKafka({
      brokers: parseBrokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
      clientId: 'bench-soak-leaders',
      logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    }).admin();
    await admin.connect();
    const deadline = monoNow() + 30_000;
    try {
      for (;;) {
        try {
          await topicEnds(admin, [...TOPIC_SPECS.map((t) => t.name), Topic.DeadLetter]);
          return;
        } catch (error) {
          if (monoNow() > deadline) throw error;
          await sleep(500);
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  private auditEvents() {
    return this.records.db().collection<AuditRecordView>('audit_events');
  }

  /** Scans the whole trail on FerretDB: only before the first stream starts and after the last one drained. */
  private async countRecords(): Promise<number> {
    const started = monoNow();
    const records = await this.auditEvents().countDocuments({});
    say(`the audit trail holds ${count(records)} records (counted in ${ms(monoNow() - started)})`);
    return records;
  }

  /**
   * Groups at the end of their topics, the reader, the services. With a seed to make: the seed policy under the
   * run's policy id and only SEED_SERVICES; else the reference policy and every service.
   */
  private async startPlatform(seeding: boolean): Promise<void> {
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
      [this.executorGroup, EXECUTOR_TOPICS],
    ];
    groups.push([`${this.runId}-observer`, SoakObserver.TOPICS]);
    // The services' groups would start at the beginning of the shared topics; admin.setOffsets takes ~5 s per
    // topic and group, the demo's short-lived member commits everything at once.
    const placing = monoNow();
    await startGroupsAtEnd(
      this.kafka,
      groups.map(([groupId, topics]) => ({ groupId, topics })),
    );
    say(`placed ${groups.length} consumer groups at the end of their topics in ${ms(monoNow() - placing)}`);
    this.onCleanup('delete the consumer groups', () => this.admin.deleteGroups(groups.map(([id]) => id)));
    this.tally = this.newTally();
    this.observer = new SoakObserver(
      this.kafka,
      `${this.runId}-observer`,
      this.admin,
      this.idPrefix,
      this.tally,
    );
    say('starting the topic reader');
    await this.observer.start();
    this.onCleanup('stop the topic reader', () => this.observer.stop());
    this.auditStart = (await this.gauges()).auditPositions;

    this.producer = createProducer(this.kafka);
    await this.producer.connect();
    this.onCleanup('disconnect the producer', () => this.producer.disconnect());
    this.control = new ControlClient(new EventPublisher(this.producer), 'bench-soak');
    await this.control.publishPolicy(
      seeding ? seedPolicy(this.levelPolicy()) : this.levelPolicy(),
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

    const starting = seeding ? SEED_SERVICES : SERVICES;
    say(`starting ${starting.join(', ')} (dist/apps/*/main.js)`);
    this.onCleanup('stop the services', () => this.stopServices());
    await this.platform.start(starting);
    this.client = new GatewayClient(this.platform.gatewayUrl, this.plan.readTimeoutMs);
  }

  /** The reference policy under the run's policy id, as version 2 (the seed policy, when published, is 1). */
  private levelPolicy(): PolicyDocument {
    return { ...loadPolicyFile(REFERENCE_POLICY_FILE), policyId: this.platform.env.POLICY_ID, version: 2 };
  }

  /**
   * After the seed: the groups of the services not started yet go to the end of their topics (the seed's
   * approvals and review requests are history to them), the reference policy replaces the seed policy, and once
   * scoring says it is in force (routing follows the rule each scored decision carries), the others start.
   */
  private async startTheRest(): Promise<void> {
    const env = this.platform.env;
    await startGroupsAtEnd(this.kafka, [
      { groupId: env.ESCALATION_CONSUMER_GROUP, topics: [Topic.ReviewRequested] },
      { groupId: env.LEARNING_CONSUMER_GROUP, topics: LEARNING_TOPICS },
      { groupId: this.executorGroup, topics: EXECUTOR_TOPICS },
    ]);
    const policy = this.levelPolicy();
    await this.control.publishPolicy(policy, 'bench-soak');
    const inForce = `policy ${policy.policyId} v${policy.version} in force`;
    const deadline = monoNow() + 60_000;
    while (!this.platform.process('scoring').output.includes(inForce)) {
      if (monoNow() > deadline)
        throw new BenchFailure('scoring did not put the reference policy in force within 60 s');
      await sleep(200);
    }
    const rest = SERVICES.filter((name) => !SEED_SERVICES.includes(name));
    say(`the reference policy is in force; starting ${rest.join(', ')}`);
    await this.platform.start(rest);
  }

  /** Samples CPU and memory of every service and of the infrastructure; a service that exits fails the run. */
  private watchProcesses(): void {
    const watched: WatchedProcess[] = SERVICES.map((name) => ({
      name,
      pid: this.platform.process(name).pid as number,
      essential: true,
    }));
    const kafkaPid = this.infra.kafka.daemon.pid();
    const ferretPid = this.infra.ferretdb.daemon.pid();
    if (kafkaPid) watched.push({ name: 'kafka', pid: kafkaPid, essential: false });
    if (ferretPid) watched.push({ name: 'ferretdb', pid: ferretPid, essential: false });
    // PostgreSQL's postmaster (each connection is a child process of its own, not counted here).
    const postgresPid = this.infra.postgres.daemon.pid();
    if (postgresPid && this.infra.postgres.daemon.isRunning()) {
      watched.push({ name: 'postgres', pid: postgresPid, essential: false });
    }
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
  }

  /** A service stuck on a drowning store may never finish its graceful stop: it is killed after a while. */
  private async stopServices(): Promise<void> {
    try {
      await withTimeout(this.platform.stop(), 30_000, 'the services did not stop');
    } catch (error) {
      say(`${(error as Error).message}; killing them`);
      await Promise.all(SERVICES.map((name) => this.platform.process(name).stop('SIGKILL')));
    }
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

  /** A phase's stream, counted in a tally of its own; its keys start with `<runId>-<phase>-`. */
  private stream(phase: string, rate: number): StreamPublisher {
    say(`${phase}: publishing the demo's stream at ${rate} decisions/s`);
    this.tally = this.newTally();
    this.observer.countInto(this.tally);
    const stream = demoStream({ seed: this.plan.seed, idPrefix: this.phasePrefix(phase) });
    return new StreamPublisher(this.producer, stream, this.tally, rate, 'soak-agents');
  }

  private phasePrefix(phase: string): string {
    return `${this.idPrefix}${phase}-`;
  }

  private async gauges(): Promise<Gauges> {
    return withTimeout(this.readGauges(), GAUGES_TIMEOUT_MS, 'the broker did not answer the offset reads');
  }

  private async readGauges(): Promise<Gauges> {
    const [audit, executor] = await Promise.all([
      this.observer.delay(this.platform.env.AUDIT_CONSUMER_GROUP, EVENT_TOPICS),
      this.observer.delay(this.executorGroup, [Topic.ActionApproved]),
    ]);
    this.observer.trim(audit.positions, executor.positions);
    this.observer.auditStoredUpTo(audit.positions);
    // The tally after the offsets: a decision counted as routed is then never ahead of the lags read.
    const s = this.tally.snapshot();
    return {
      inFlight: s.inFlight,
      routed: s.decided,
      sent: s.sent,
      auditLag: audit.seconds,
      auditBacklog: audit.messages,
      auditCommitted: audit.committed,
      auditPositions: audit.positions,
      executorLag: executor.seconds,
      executorBacklog: executor.messages,
      executorProgress: executor.committed + BigInt(this.observer.executionReports),
    };
  }

  /** Records in the trail now: the count at the start plus what the audit service stored since. */
  private trailRecords(gauges: Gauges): number {
    const stored = committedSince(this.auditStart, gauges.auditPositions);
    return this.trailAtStart + stored - this.observer.deadLettersOf(this.platform.env.AUDIT_CONSUMER_GROUP);
  }

  private progressLine(gauges: Gauges): string {
    return (
      `${count(this.trailRecords(gauges))} records stored; ${count(gauges.sent)} decisions sent, ` +
      `${count(gauges.inFlight)} in flight; audit lag ${ms(gauges.auditLag * 1000)} ` +
      `(${count(gauges.auditBacklog)} messages), executor lag ${ms(gauges.executorLag * 1000)} ` +
      `(${count(gauges.executorBacklog)} messages)`
    );
  }

  /**
   * Every message a phase published is on the proposal topic and no other of its keys is: a send that failed
   * after reaching the broker, or a second publisher, would otherwise skew every count of the phase. The
   * reader may be a moment behind the drain, so it gets a few seconds.
   */
  private async checkSent(phase: string): Promise<void> {
    const s = this.tally.snapshot();
    const published = s.sent + s.malformed;
    const deadline = monoNow() + 15_000;
    let seen = this.observer.proposalsSeen(this.phasePrefix(phase));
    while (seen < published && monoNow() < deadline) {
      await sleep(500);
      seen = this.observer.proposalsSeen(this.phasePrefix(phase));
    }
    if (seen !== published) {
      throw new BenchFailure(
        `${phase}: ${count(published)} messages sent but ${count(seen)} on the proposal topic`,
        [`well-formed ${count(s.sent)}, malformed ${count(s.malformed)}`],
      );
    }
  }

  /** A send the broker refused leaves the tally and the topic disagreeing: the run stops rather than guess. */
  private checkStream(phase: string, stream: StreamPublisher): void {
    if (stream.lastError)
      throw new BenchFailure(`${phase}: a batch of proposals was not sent: ${stream.lastError}`);
  }

  /** The seed's figures before it runs (and when the store already held enough). */
  private seedFigures() {
    return {
      recordsBefore: this.trailAtStart,
      target: this.plan.seedRecords,
      seeded: false,
      decisions: 0,
      seconds: 0,
    };
  }

  /**
   * Publishes the demo's stream through scoring, routing and audit (SEED_SERVICES) at the seed rate until its
   * events will make the trail hold enough records (counted as they appear on the topics), then waits for
   * routing and the audit service to catch up. What was stored is read from the audit group's offsets, never
   * from the store.
   */
  private async seed(): Promise<void> {
    const { plan } = this;
    const seed = this.seedFigures();
    this.results.seed = { ...seed, recordsAfter: seed.recordsBefore };
    const needed = plan.seedRecords - seed.recordsBefore;
    say(
      `seed: ${count(needed)} more audit records, through scoring, routing and audit under the seed policy`,
    );
    const started = monoNow();
    const stream = this.stream('seed', plan.seedRate);
    stream.start();
    this.onCleanup('stop the seed stream', () => stream.stop());
    let shown = monoNow();
    let gauges = await this.gauges();
    let progress = { at: monoNow(), committed: gauges.auditCommitted };
    while (this.observer.auditRecordsSeen < needed) {
      this.guard.check();
      this.checkStream('seed', stream);
      await sleep(1_000);
      gauges = await this.gauges();
      progress = this.checkProgress(
        'the audit service (seeding)',
        gauges.auditCommitted,
        gauges.auditBacklog,
        progress,
      );
      if (monoNow() - shown >= PROGRESS_EVERY_MS) {
        shown = monoNow();
        say(
          `seed: ${count(this.observer.auditRecordsSeen)} of ${count(needed)} records produced, ${this.progressLine(gauges)}`,
        );
      }
    }
    await stream.stop();
    this.checkStream('seed', stream);
    say(`seed: ${count(this.observer.auditRecordsSeen)} records produced, publishing stopped; draining`);
    await this.drain('seed', { executor: false });
    await this.checkSent('seed');
    seed.decisions = this.tally.snapshot().sent;
    seed.seconds = round((monoNow() - started) / 1000, 1);
    const after = this.trailRecords(await this.gauges());
    this.results.seed = { ...seed, seeded: true, recordsAfter: after };
    say(
      `seed: ${count(seed.decisions)} decisions in ${fmt(seed.seconds)} s; the trail holds ${count(after)} records`,
    );
    if (after < plan.seedRecords) {
      throw new BenchFailure(
        `after seeding the trail holds ${count(after)} records, fewer than ${count(plan.seedRecords)}`,
        [`${count(this.observer.auditRecordsSeen)} events of the seed were seen on the topics`],
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
        `${who} made no progress for ${this.plan.stallTimeoutMs / 1000} s with ${count(backlog)} messages to go`,
      );
    }
    return last;
  }

  /**
   * After a stream stops: waits until every decision sent has been routed and the audit service and (unless
   * `executor` is false) the executor have caught up, failing when nothing moves for the stall timeout. Gives
   * up after `limitMs` when given, saying what was left.
   */
  private async drain(
    phase: string,
    { executor: withExecutor = true, limitMs }: { executor?: boolean; limitMs?: number } = {},
  ): Promise<Drain> {
    const started = monoNow();
    let shown = monoNow();
    let gauges = await this.gauges();
    let routing = { at: monoNow(), routed: gauges.routed };
    let audit = { at: monoNow(), committed: gauges.auditCommitted };
    let executor = { at: monoNow(), committed: gauges.executorProgress };
    const left = () => ({
      inFlight: gauges.inFlight,
      auditBacklog: gauges.auditBacklog,
      executorBacklog: withExecutor ? gauges.executorBacklog : 0,
    });
    while (Object.values(left()).some((n) => n > 0)) {
      if (limitMs !== undefined && monoNow() - started > limitMs) {
        const seconds = round((monoNow() - started) / 1000, 1);
        say(`${phase}: not drained after ${fmt(seconds)} s; going on (${this.progressLine(gauges)})`);
        return { seconds, drained: false, left: left() };
      }
      this.guard.check();
      this.checkDeadLetters(phase);
      await sleep(1_000);
      gauges = await this.gauges();
      if (gauges.routed !== routing.routed) routing = { at: monoNow(), routed: gauges.routed };
      else if (gauges.inFlight > 0 && monoNow() - routing.at > this.plan.stallTimeoutMs) {
        const s = this.tally.snapshot();
        throw new BenchFailure(
          `after ${phase}, ${count(gauges.inFlight)} decisions got no routing outcome for ${this.plan.stallTimeoutMs / 1000} s`,
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
      if (withExecutor) {
        executor = this.checkProgress(
          `the executor (after ${phase})`,
          gauges.executorProgress,
          gauges.executorBacklog,
          executor,
        );
      }
      if (monoNow() - shown >= PROGRESS_EVERY_MS) {
        shown = monoNow();
        say(`draining after ${phase}: ${this.progressLine(gauges)}`);
      }
    }
    this.checkDeadLetters(phase);
    const seconds = round((monoNow() - started) / 1000, 1);
    say(`${phase}: drained in ${fmt(seconds)} s (${this.progressLine(gauges)})`);
    return { seconds, drained: true };
  }

  /** A well-formed decision a service gave up on is lost: no point waiting for its outcome. */
  private checkDeadLetters(phase: string): void {
    const s = this.tally.snapshot();
    if (s.deadLetters.ofDecisions > 0) {
      throw new BenchFailure(
        `${phase}: ${count(s.deadLetters.ofDecisions)} well-formed decisions were dead-lettered`,
        [...Object.entries(s.deadLetters.byReason).map(([reason, n]) => `${count(n)} × ${reason}`)],
      );
    }
  }

  private async runLevel(level: SoakLevel): Promise<void> {
    const { plan } = this;
    const phase = `r${level.rate}`;
    const storeRecordsAtStart = this.trailRecords(await this.gauges());
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
      const stopped = Promise.all([probe.stop(), ...reviewers.map((r) => r.stop())]);
      this.client.abortAll();
      await stopped;
      this.client.resume();
    };
    this.onCleanup(`stop the ${phase} load`, stopAll);

    const series: SoakMinute[] = [];
    let gauges = await this.gauges();
    let routing = { at: monoNow(), routed: gauges.routed };
    let audit = { at: monoNow(), committed: gauges.auditCommitted };
    let executor = { at: monoNow(), committed: gauges.executorProgress };
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
              `routing decided nothing for ${plan.stallTimeoutMs / 1000} s with ${count(gauges.inFlight)} decisions in flight`,
            );
          }
          this.checkStream(phase, stream);
          audit = this.checkProgress('the audit service', gauges.auditCommitted, gauges.auditBacklog, audit);
          executor = this.checkProgress(
            'the executor',
            gauges.executorProgress,
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
    this.checkStream(phase, stream);
    const drain = await this.drain(phase, { limitMs: plan.drainLimitMs });
    await this.checkSent(phase);
    const storeRecords = this.trailRecords(await this.gauges());
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
      storeRecords,
      drainSeconds: drain.seconds,
      ...(drain.left ? { undrained: drain.left } : {}),
      series,
    };
    this.results.levels.push({ ...result, targets: soakTargets(result, SERVICES) });
  }

  /**
   * Every event of the run's decisions that went over the topics is in the trail (walked by _id, at the end,
   * once routing and the audit service have caught up however long that takes).
   */
  private async verifyAuditTrail(): Promise<void> {
    if (this.results.levels.at(-1)?.undrained) await this.drain('the last level', { executor: false });
    say("checking that the audit trail holds every event of the run (each decision's chain, by _id)");
    const watch = new AuditWatch(
      this.auditEvents(),
      this.admin,
      this.platform.env.AUDIT_CONSUMER_GROUP,
      EVENT_TOPICS,
    );
    const verification = await watch.verify(this.observer.expectedAuditRecords());
    const counted = await this.countRecords();
    this.results.audit = {
      expectedEvents: verification.expected,
      storedEvents: verification.stored,
      trailAtStart: this.trailAtStart,
      trailAtEnd: counted,
    };
    if (verification.missing.length) {
      throw new BenchFailure(
        `the audit trail lost ${verification.missing.length} of ${verification.expected} events of the run`,
        verification.missing.slice(0, 20).map((what) => `not in audit_events: ${what}`),
      );
    }
  }
}
