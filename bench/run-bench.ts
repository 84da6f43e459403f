/**
 * The decision pipeline's benchmark: on one broker and in one run, the raw kafkajs pass-through ceiling, then
 * the auto path (DecisionProposed in → ActionApproved out, scoring, routing and audit as their own processes):
 * sustained throughput, latency at paced offered loads, the audit trail's lag after each load and each
 * service's peak memory. Writes bench/results/<timestamp>-<scale>.json, latest-<scale>.json and .svg, and
 * prints a Markdown summary on stdout (progress goes to stderr).
 *
 *   npm run bench             the full run
 *   npm run bench -- --smoke  a seconds-long run of every step, for CI (or BENCH_SCALE=smoke)
 *
 * Exits 0 whether or not the targets are met; non-zero only when the run itself fails (a decision or audit
 * event lost, a stage stalled, a service crashed), with what went missing listed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Admin, Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import {
  ALL_FUNCTIONS,
  EVENT_TOPICS,
  newEvent,
  PlatformEvent,
  Topic,
  TOPIC_SPECS,
} from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
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
  OtlpReceiver,
  ServiceProcess,
  TestPrometheus,
  testDatabaseUri,
  uniqueName,
} from '@oversight/testing';
import { AuditRecordView, AuditWatch } from './audit-watch';
import { BENCH_TOPIC_PARTITIONS, benchProposal, PassThroughBaseline } from './baseline';
import { BenchPlan, benchPlan } from './bench-plan';
import { DecisionObserver, DecisionTrace } from './decision-observer';
import { groupLag, positionGroupAtEnd } from './kafka-positions';
import { backgroundBusyCores, ProcessSampler, WatchedProcess } from './process-sampler';
import {
  AuditLag,
  BenchResults,
  fmt,
  LatencyLevel,
  ms,
  renderMarkdown,
  Target,
  writeResults,
} from './report';
import { BenchFailure, RunGuard } from './run-guard';
import { codeInfo, machineInfo, RESULTS_DIR, ROOT, say, useInfra } from './run-context';
import { SoakRun } from './soak';
import { soakPlan } from './soak-plan';
import { storeWriteCosts } from './store-probe';
import { monoNow, round, sleep, summarize } from './stats';

const SERVICES = ['scoring', 'routing', 'audit'] as const;
/** As the local setup's Prometheus scrapes (PROMETHEUS_SCRAPE_INTERVAL's default). */
const PROMETHEUS_SCRAPE_SECONDS = 5;
type ServiceName = (typeof SERVICES)[number];

/**
 * The topics each service's consumer group reads, positioned at their ends before the services start. A topic
 * a service reads that is missing here would be read from its beginning: slower to warm up, never wrong.
 */
const SERVICE_TOPICS: Record<ServiceName, readonly string[]> = {
  scoring: [Topic.DecisionProposed],
  routing: [Topic.DecisionScored],
  audit: EVENT_TOPICS,
};

/** The p99 end-to-end goal at each offered load (decisions/s) of issue 13. */
const P99_GOALS_MS: Record<number, number> = { 50: 50, 200: 100, 500: 250, 1000: 1_000 };

/** kafkajs's own warnings and errors go to stderr; its routine chatter is dropped. */
const benchLogger: MessagingLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, fields) => say(`${message} ${fields ? JSON.stringify(fields) : ''}`),
  error: (message, fields) => say(`${message} ${fields ? JSON.stringify(fields) : ''}`),
};

/** Undefined-safe difference: a hop a decision never reached is left out of its summary, not counted as 0. */
const gap = (to?: number, from?: number) => (to === undefined || from === undefined ? undefined : to - from);
const defined = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);

class Bench {
  private readonly guard = new RunGuard();
  private readonly cleanup: { name: string; run: () => Promise<unknown> }[] = [];
  private readonly runId = uniqueName('bench');
  private readonly keyPrefix = `${this.runId}-`;
  private readonly database = testDatabaseUri('bench');
  private readonly infra = new LocalInfra();
  private readonly results: BenchResults;
  private readonly kafka: Kafka;
  private admin!: Admin;
  private publisher!: EventPublisher;
  private observer!: DecisionObserver;
  private sampler!: ProcessSampler;
  private auditWatch!: AuditWatch;
  private readonly services = new Map<ServiceName, ServiceProcess>();
  /** With `--tracing`, where the services' spans go. */
  private traces?: OtlpReceiver;

  constructor(private readonly plan: BenchPlan) {
    this.kafka = createKafka({
      brokers: parseBrokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
      clientId: 'bench',
      logger: benchLogger,
    });
    this.results = {
      scale: plan.scale,
      status: 'failed',
      startedAt: new Date().toISOString(),
      machine: machineInfo(this.infra),
      code: codeInfo(),
      plan: { ...plan },
      ids: { runId: this.runId, policyId: this.runId, database: new URL(this.database).pathname.slice(1) },
      latency: [],
      auditLag: [],
      targets: [],
    };
    process.once('SIGINT', () => this.guard.fail(new BenchFailure('interrupted (Ctrl-C)')));
  }

  /** Runs every phase, always cleans up, writes and prints the results; resolves with the exit code. */
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
      // What the services said last is usually the explanation; kept in the JSON, not in the Markdown.
      for (const [name, service] of this.services) {
        const tail = service.output.trimEnd().split('\n').slice(-15);
        this.results.failure.serviceLogTails[name] = tail;
        say(`last lines of ${name}:`);
        for (const line of tail) say(`  ${line}`);
      }
    } finally {
      for (const step of this.cleanup.reverse()) {
        await step.run().catch((error: Error) => say(`clean-up: ${step.name} failed: ${error.message}`));
      }
    }
    this.results.finishedAt = new Date().toISOString();
    if (this.results.status === 'completed') this.results.targets = this.targets();
    for (const file of writeResults(RESULTS_DIR, this.results)) say(`wrote ${path.relative(ROOT, file)}`);
    process.stdout.write(`${renderMarkdown(this.results)}\n`);
    return this.results.status === 'completed' ? 0 : 1;
  }

  private onCleanup(name: string, run: () => Promise<unknown>) {
    this.cleanup.push({ name, run });
  }

  private async phases(): Promise<void> {
    const { plan } = this;
    say(`${plan.scale} run ${this.runId}`);
    for (const name of SERVICES) {
      if (!fs.existsSync(path.join(ROOT, 'dist/apps', name, 'main.js'))) {
        throw new BenchFailure(
          `dist/apps/${name}/main.js is missing; build first: npx nx run-many -t build --projects=scoring,routing,audit`,
        );
      }
    }

    const background = await backgroundBusyCores(2_000, this.results.machine.cores);
    this.results.machine.backgroundBusyCores = background;
    if (background > 0.25) {
      say(`warning: ${fmt(background)} cores were already busy before the run; the figures will show it`);
    }

    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.onCleanup('disconnect the admin client', () => this.admin.disconnect());
    await ensureTopics(this.kafka, TOPIC_SPECS, { logger: benchLogger });

    // The closing check counts the run's records in one scan, which on FerretDB takes longer than the services'
    // socket timeout allows.
    const mongo = new MongoClient(this.database, { ...STORE_CONNECTION_OPTIONS, socketTimeoutMS: 600_000 });
    await mongo.connect();
    this.onCleanup('drop the bench database', () => dropTestDatabase(this.database));
    this.onCleanup('close the store connection', () => mongo.close());
    this.auditWatch = new AuditWatch(
      mongo.db().collection<AuditRecordView>('audit_events'),
      this.admin,
      this.groupOf('audit'),
      SERVICE_TOPICS.audit,
    );

    await this.baselineAndUnitCosts(mongo);
    await this.startPipeline();

    say(`warm-up: ${plan.warmupDecisions} decisions`);
    await this.pushAsFastAsPossible('warmup', plan.warmupDecisions);
    await this.settle('warmup');
    await this.waitForAudit();

    await this.throughput();
    for (const rate of plan.loadLevels) await this.latencyLevel(rate);

    say("checking that the audit trail holds every event of the run (each decision's chain, by _id)");
    const expected = new Map<string, Map<string, string>>();
    for (const trace of this.observer.allTraces()) {
      const events = new Map<string, string>();
      for (const [eventId, type] of trace.events)
        events.set(eventId, `${type} of ${trace.decisionId} (${eventId})`);
      expected.set(trace.decisionId, events);
    }
    const verification = await this.auditWatch.verify(expected);
    this.results.audit = {
      expectedEvents: verification.expected,
      storedEvents: verification.stored,
      postHocSamples: this.observer.allTraces().filter((t) => t.postHocSampled).length,
    };
    if (verification.missing.length) {
      throw new BenchFailure(
        `the audit trail lost ${verification.missing.length} of ${verification.expected} events of the run`,
        verification.missing.slice(0, 20).map((what) => `not in audit_events: ${what}`),
      );
    }
    if (this.traces && this.traces.exports === 0) {
      throw new BenchFailure(
        'tracing was on (--tracing) but no service exported a span to the OTLP receiver',
      );
    }
  }

  /** Kafka alone first, while nothing else runs, then the price of single produce and store requests. */
  private async baselineAndUnitCosts(mongo: MongoClient): Promise<void> {
    const { plan } = this;
    const topic = `bench.passthrough.${this.runId}`;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: BENCH_TOPIC_PARTITIONS, replicationFactor: 1 }],
    });
    this.onCleanup(`delete topic ${topic}`, () => this.admin.deleteTopics({ topics: [topic] }));
    this.onCleanup('delete the consumer groups', () => this.admin.deleteGroups(this.groupIds()));

    say(`baseline: ${plan.throughputDecisions} messages through ${topic}`);
    const { baseline, produceRoundTripMs } = await new PassThroughBaseline(
      this.kafka,
      this.groupOf('baseline'),
      {
        topic,
        keyPrefix: `${this.keyPrefix}bl-`,
        warmupMessages: plan.baselineWarmupMessages,
        messages: plan.throughputDecisions,
        chunkSize: plan.chunkSize,
        stallTimeoutMs: plan.stallTimeoutMs,
        guard: this.guard,
      },
    ).run(plan.unitCostSamples);
    this.results.baseline = baseline;
    say(`baseline: ${fmt(baseline.perSecond)} messages/s`);

    const store = await storeWriteCosts(mongo.db(), plan.unitCostSamples, this.runId);
    this.results.unitCosts = {
      produceRoundTripMs,
      storeInsertMs: store.insertMs,
      storeUpdateByIdMs: store.updateByIdMs,
    };
  }

  private groupOf(service: ServiceName | 'observer' | 'baseline'): string {
    return `${this.runId}-${service}`;
  }

  private groupIds(): string[] {
    return [...SERVICES, 'observer' as const, 'baseline' as const].map((name) => this.groupOf(name));
  }

  /** Policy, halts, group positions, the bench's own reader, then the three services and the sampler. */
  private async startPipeline(): Promise<void> {
    const producer = createProducer(this.kafka);
    await producer.connect();
    this.onCleanup('disconnect the producer', () => producer.disconnect());
    this.publisher = new EventPublisher(producer);
    const control = new ControlClient(this.publisher, 'bench');

    await this.clearHalts(control);
    for (const service of SERVICES) {
      await positionGroupAtEnd(this.admin, this.groupOf(service), SERVICE_TOPICS[service]);
    }
    await control.publishPolicy({ ...loadPolicyFile(REFERENCE_POLICY_FILE), policyId: this.runId }, 'bench');

    this.observer = new DecisionObserver(this.kafka, this.groupOf('observer'), this.keyPrefix);
    await this.observer.start(this.admin);
    this.onCleanup('stop the bench consumer', () => this.observer.stop());

    const traces = this.plan.tracing ? await this.startTraceReceiver() : undefined;
    this.traces = traces;
    const env = {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      MONGODB_URI: this.database,
      POLICY_ID: this.runId,
      SCORING_CONSUMER_GROUP: this.groupOf('scoring'),
      ROUTING_CONSUMER_GROUP: this.groupOf('routing'),
      AUDIT_CONSUMER_GROUP: this.groupOf('audit'),
      ...(traces ? { OTEL_EXPORTER_OTLP_ENDPOINT: traces.endpoint } : {}),
    };
    for (const name of SERVICES) this.services.set(name, new ServiceProcess(name, env));
    this.onCleanup('stop the services', () => Promise.all([...this.services.values()].map((s) => s.stop())));
    say(`starting scoring, routing and audit${traces ? `, exporting traces to ${traces.endpoint}` : ''}`);
    await Promise.all([...this.services.values()].map((service) => service.start()));
    await this.startPrometheus(traces);

    const watched: WatchedProcess[] = [...this.services].map(([name, service]) => ({
      name,
      pid: service.pid as number,
      essential: true,
    }));
    const kafkaPid = this.infra.kafka.daemon.pid();
    const ferretPid = this.infra.ferretdb.daemon.pid();
    if (kafkaPid) watched.push({ name: 'kafka', pid: kafkaPid, essential: false });
    if (ferretPid) watched.push({ name: 'ferretdb', pid: ferretPid, essential: false });
    const postgresPid = this.infra.usesPostgres ? this.infra.postgres.daemon.pid() : undefined;
    if (postgresPid) watched.push({ name: 'postgres', pid: postgresPid, essential: false, tree: true });
    this.sampler = new ProcessSampler(watched, (name) => {
      const tail = (this.services.get(name as ServiceName)?.output ?? '').trimEnd().split('\n').slice(-20);
      this.guard.fail(new BenchFailure(`the ${name} service exited during the run`, tail));
    });
    this.sampler.start();
    this.onCleanup('stop the sampler', async () => {
      this.results.memory = this.sampler.memory();
      this.sampler.stop();
    });
  }

  /** With `--tracing`: where the services export their spans, counted and not decoded (that would cost CPU). */
  private async startTraceReceiver(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver({ keepSpans: false });
    await receiver.start();
    this.onCleanup('stop the trace receiver', () => receiver.stop());
    return receiver;
  }

  /**
   * A Prometheus scraping each service's /metrics as the local setup's does (every 5 s), so the run pays what a
   * watched deployment pays; the scrapes it made, and the spans exported, go into the results.
   */
  private async startPrometheus(traces: OtlpReceiver | undefined): Promise<void> {
    const prometheus = new TestPrometheus(
      SERVICES.map((job) => ({
        job,
        address: new URL((this.services.get(job) as ServiceProcess).metricsUrl()).host,
      })),
      '',
      { scrapeInterval: `${PROMETHEUS_SCRAPE_SECONDS}s` },
    );
    await prometheus.start();
    this.onCleanup('stop Prometheus', async () => {
      const scrapes = await prometheus.query('min(count_over_time(up[1d]))').then(
        (result) => Number(result[0]?.value[1] ?? 0),
        () => 0,
      );
      this.results.observability = {
        prometheusScrapeSeconds: PROMETHEUS_SCRAPE_SECONDS,
        scrapesPerService: scrapes,
        ...(traces
          ? { tracing: { exports: traces.exports, megabytes: round(traces.bytes / 1_048_576, 1) } }
          : {}),
      };
      await prometheus.stop();
    });
  }

  /**
   * A halt on telecom-billing (or on everything) would send every $12 refund to review. Halts are shared by all
   * deployments, and one left behind by an interrupted test run is the usual cause, so it is lifted with a
   * note, as the pipeline e2e suite does.
   */
  private async clearHalts(control: ControlClient): Promise<void> {
    const halts = new ControlTopicView(this.kafka, Topic.HaltChanged, { logger: benchLogger });
    await halts.start();
    const active = halts
      .values()
      .filter((e) => e.payload.halted && [ALL_FUNCTIONS, 'telecom-billing'].includes(e.payload.scope));
    await halts.stop();
    for (const { payload } of active) {
      say(`lifting halt on ${payload.scope} ("${payload.reason}" by ${payload.changedBy}) for the run`);
      await control.resume(payload.scope, 'bench: refunds must route to auto', 'bench');
    }
  }

  private newDecisions(phase: string, from: number, count: number) {
    const events = Array.from({ length: count }, (_, i) =>
      newEvent('DecisionProposed', {
        decisionId: `${this.keyPrefix}${phase}-${from + i}`,
        producer: 'bench-agent',
        payload: benchProposal(),
      }),
    );
    const traces: DecisionTrace[] = events.map((event) => ({
      decisionId: event.decisionId,
      phase,
      proposedEventId: event.eventId,
      sentMono: NaN,
      sentWall: NaN,
      intendedMono: NaN,
      postHocSampled: false,
      events: new Map(),
      deadLetters: [],
    }));
    this.observer.track(traces);
    return { events, traces };
  }

  /** One publish call (one produce request) for a batch; every decision in it is stamped with its start. */
  private async publish(
    events: PlatformEvent<'DecisionProposed'>[],
    traces: DecisionTrace[],
    intended?: number[],
  ) {
    const mono = monoNow();
    const wall = Date.now();
    traces.forEach((trace, i) => {
      trace.sentMono = mono;
      trace.sentWall = wall;
      trace.intendedMono = intended?.[i] ?? mono;
    });
    await this.publisher.publish(Topic.DecisionProposed, ...events);
    return mono;
  }

  /** Pushes decisions in produce-request-sized chunks, one request after the other, as fast as they go. */
  private async pushAsFastAsPossible(phase: string, count: number) {
    const { events, traces } = this.newDecisions(phase, 0, count);
    let firstIn = NaN;
    let lastIn = NaN;
    for (let start = 0; start < count; start += this.plan.chunkSize) {
      this.guard.check();
      const end = start + this.plan.chunkSize;
      lastIn = await this.publish(events.slice(start, end), traces.slice(start, end));
      if (start === 0) firstIn = lastIn;
    }
    return { firstIn, lastIn };
  }

  /**
   * Offers `rate` decisions per second for the level's duration. Each decision has a slot on a fixed
   * schedule; whatever is due is sent in one request. Requests go one after the other (kafkajs's idempotent
   * producer can reorder sequence numbers under concurrent sends, tulios/kafkajs#598), so a slow request is
   * followed by a larger batch rather than by a lower offered rate, and the slip against the schedule is
   * reported.
   */
  private async pushPaced(phase: string, rate: number, seconds: number) {
    const total = Math.round(rate * seconds);
    const interval = 1000 / rate;
    const start = monoNow();
    let sent = 0;
    let firstIn = NaN;
    let lastIn = NaN;
    while (sent < total) {
      this.guard.check();
      const now = monoNow();
      const due = Math.min(total, Math.floor((now - start) / interval) + 1);
      if (due <= sent) {
        await sleep(start + sent * interval - now);
        continue;
      }
      const { events, traces } = this.newDecisions(phase, sent, due - sent);
      const intended = traces.map((_, i) => start + (sent + i) * interval);
      lastIn = await this.publish(events, traces, intended);
      if (sent === 0) firstIn = lastIn;
      sent = due;
    }
    return { firstIn, lastIn, total };
  }

  /** Every decision of the phase has come out, the bench has read all it led to, and all were approved. */
  private async settle(phase: string): Promise<void> {
    await this.waitForOutcomes(phase);
    await this.observer.waitUntilCaughtUp(this.admin, this.plan.stallTimeoutMs, this.guard);
    const wrong = this.observer.tracesOf(phase).filter((trace) => trace.outcome !== 'approved');
    if (wrong.length) {
      throw new BenchFailure(
        `${wrong.length} decisions of phase ${phase} were not auto-approved; every $12 refund should be`,
        wrong
          .slice(0, 10)
          .map((t) => `${t.decisionId}: ${t.outcome} (${(t.routingReasons ?? []).join('; ')})`),
      );
    }
  }

  /** Waits until the audit trail holds the run's last event on every partition; resolves with when it did. */
  private async waitForAudit(): Promise<number> {
    try {
      return await this.auditWatch.waitUntilStored(
        this.observer.lastAuditRecordIds(),
        this.plan.stallTimeoutMs,
        this.guard,
      );
    } catch (error) {
      if (error instanceof BenchFailure) error.details.push(...(await this.consumerLags()));
      throw error;
    }
  }

  /** Waits for every outcome of the phase; a stall is reported with how far behind each service's group is. */
  private async waitForOutcomes(phase: string): Promise<void> {
    try {
      await this.observer.waitForPhase(phase, this.plan.stallTimeoutMs, this.guard);
    } catch (error) {
      if (error instanceof BenchFailure) error.details.push(...(await this.consumerLags()));
      throw error;
    }
  }

  /** Uncommitted messages per service group: a stuck or slow stage shows as a lag that does not shrink. */
  private async consumerLags(): Promise<string[]> {
    const lines: string[] = [];
    for (const service of SERVICES) {
      const lag = await groupLag(this.admin, this.groupOf(service), SERVICE_TOPICS[service]).catch(
        (error: Error) => ({ error: error.message }),
      );
      lines.push(`${service} consumer group lag: ${JSON.stringify(lag)}`);
    }
    return lines;
  }

  /** The audit lag after a phase: its last outcome read → the audit trail holds every event of the run. */
  private async auditLag(phase: string): Promise<AuditLag> {
    const storedAll = await this.waitForAudit();
    const lastOut = this.observer.lastOut(phase).wall;
    const lag: AuditLag = {
      phase,
      lagMs: Math.max(0, storedAll - lastOut),
      lastOutAt: new Date(lastOut).toISOString(),
      storedAllAt: new Date(storedAll).toISOString(),
    };
    this.results.auditLag.push(lag);
    say(`audit lag after ${phase}: ${ms(lag.lagMs)}`);
    return lag;
  }

  private async throughput(): Promise<void> {
    const count = this.plan.throughputDecisions;
    say(`throughput: ${count} decisions as fast as they go`);
    const cpuBefore = this.sampler.cpu();
    const { firstIn, lastIn } = await this.pushAsFastAsPossible('burst', count);
    await this.waitForOutcomes('burst');
    const cpu = ProcessSampler.between(cpuBefore, this.sampler.cpu(), this.results.machine.cores);
    await this.settle('burst');
    const seconds = (this.observer.lastOut('burst').mono - firstIn) / 1000;
    const perSecond = count / seconds;
    const baseline = this.results.baseline?.perSecond ?? NaN;
    this.results.throughput = {
      decisions: count,
      seconds: round(seconds, 3),
      perSecond: round(perSecond, 1),
      publishSeconds: round((lastIn - firstIn) / 1000, 3),
      ratioToBaseline: round(perSecond / baseline, 4),
      postHocSamples: this.observer.tracesOf('burst').filter((t) => t.postHocSampled).length,
      cpu,
    };
    say(`throughput: ${fmt(perSecond)} decisions/s (${((perSecond / baseline) * 100).toFixed(1)} % of raw)`);
    await this.auditLag('burst');
  }

  private async latencyLevel(rate: number): Promise<void> {
    const phase = `load${rate}`;
    say(`latency: ${rate} decisions/s for ${this.plan.levelSeconds} s`);
    const cpuBefore = this.sampler.cpu();
    const { firstIn, lastIn, total } = await this.pushPaced(phase, rate, this.plan.levelSeconds);
    await this.waitForOutcomes(phase);
    const cpu = ProcessSampler.between(cpuBefore, this.sampler.cpu(), this.results.machine.cores);
    await this.settle(phase);
    const traces = this.observer.tracesOf(phase);
    const level: LatencyLevel = {
      offeredPerSecond: rate,
      plannedSeconds: this.plan.levelSeconds,
      decisions: total,
      achievedPerSecond: round(total > 1 ? (total - 1) / ((lastIn - firstIn) / 1000) : NaN, 1),
      scheduleSlipMs: summarize(traces.map((t) => t.sentMono - t.intendedMono)),
      endToEndMs: summarize(defined(traces.map((t) => gap(t.outMono, t.sentMono)))),
      hopsMs: {
        brokerHop: summarize(defined(traces.map((t) => gap(t.proposedSeenMono, t.sentMono)))),
        publishToScored: summarize(defined(traces.map((t) => gap(t.scoredAtWall, t.sentWall)))),
        scoredToRouted: summarize(defined(traces.map((t) => gap(t.approvedAtWall, t.scoredAtWall)))),
        routedToOut: summarize(defined(traces.map((t) => gap(t.outWall, t.approvedAtWall)))),
      },
      drainSeconds: round((this.observer.lastOut(phase).mono - lastIn) / 1000, 3),
      postHocSamples: traces.filter((t) => t.postHocSampled).length,
      cpu,
    };
    this.results.latency.push(level);
    say(
      `latency at ${rate}/s: p50 ${ms(level.endToEndMs.p50)}, p95 ${ms(level.endToEndMs.p95)}, ` +
        `p99 ${ms(level.endToEndMs.p99)} (achieved ${fmt(level.achievedPerSecond)}/s)`,
    );
    await this.auditLag(phase);
  }

  /** Met or missed, reported either way: missing a target is a finding, not a failed run. */
  private targets(): Target[] {
    const { throughput, latency, auditLag, memory } = this.results;
    const targets: Target[] = [];
    if (throughput && this.results.baseline) {
      targets.push({
        name: 'auto-path throughput',
        goal: '≥ 20 % of raw kafkajs',
        actual: `${(throughput.ratioToBaseline * 100).toFixed(1)} % (${fmt(throughput.perSecond)} vs ${fmt(this.results.baseline.perSecond)} /s)`,
        met: throughput.ratioToBaseline >= 0.2,
      });
    }
    for (const level of latency) {
      const goalMs = P99_GOALS_MS[level.offeredPerSecond];
      if (goalMs === undefined) continue;
      targets.push({
        name: `p99 end to end at ${fmt(level.offeredPerSecond)}/s`,
        goal: `< ${ms(goalMs)}`,
        actual: ms(level.endToEndMs.p99),
        met: level.endToEndMs.p99 < goalMs,
      });
    }
    const measured = auditLag.filter((a) => a.phase !== 'warmup');
    if (measured.length) {
      const worst = measured.reduce((a, b) => (b.lagMs > a.lagMs ? b : a));
      targets.push({
        name: 'audit lag after load stops',
        goal: 'back to 0 within 5 s',
        actual: `worst ${ms(worst.lagMs)} (after ${worst.phase})`,
        met: worst.lagMs <= 5_000,
      });
    }
    for (const name of SERVICES) {
      const peak = memory?.[name]?.peakRssMB;
      if (peak === undefined) continue;
      targets.push({
        name: `${name} peak RSS`,
        goal: '< 200 MB',
        actual: `${fmt(peak)} MB`,
        met: peak < 200,
      });
    }
    // The store server is FerretDB, plus PostgreSQL under it when that is the backend.
    const store = ['ferretdb', 'postgres'].filter((name) => memory?.[name]?.peakRssMB !== undefined);
    if (store.length) {
      const peak = store.reduce((sum, name) => sum + (memory?.[name]?.peakRssMB ?? 0), 0);
      targets.push({
        name: `store server peak memory (${store.join(' + ')})`,
        goal: '< 1,024 MB',
        actual: `${fmt(peak)} MB`,
        met: peak < 1_024,
      });
    }
    return targets;
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--soak')) {
    const plan = soakPlan(argv);
    process.env.NODE_ENV = 'test';
    await useInfra();
    return new SoakRun(plan).run();
  }
  const plan = benchPlan(argv, process.env);
  // The bench's database is throw-away, and dropTestDatabase refuses to drop anything outside NODE_ENV=test.
  process.env.NODE_ENV = 'test';
  await useInfra();
  return new Bench(plan).run();
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    say(`failed before the run started: ${error.message}`);
    process.exit(1);
  },
);
