/**
 * The fault-injection run: the whole platform as `npm start` runs it (every service and the demo executor as
 * processes), the demo's stream of proposals at a steady rate, and a crew of reviewers approving and
 * rejecting through the gateway. Each scenario starts a fresh platform (its own database, groups and policy
 * id), injects one fault once the stream is under way, lets everything settle and then checks the promises:
 * every decision exactly one final outcome, every approval exactly one effect, every event exactly once in a
 * verified audit trail, no valid event dead-lettered. Results: bench/results/latest-chaos.json.
 *
 *   npm run chaos [-- --only "kill routing"] [--decisions N]     every scenario (or one), 5,000 decisions each
 *   npm run chaos -- --smoke                                     each service killed in turn on one short stream
 *
 * Exits non-zero when a scenario breaks a promise or the run itself fails.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Admin, Kafka, Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { DEMO_USERS } from '@oversight/auth';
import { EVENT_TOPICS, newEvent, PlatformService, Topic, TOPIC_SPECS } from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { LEARNING_TOPICS } from '@oversight/learning';
import {
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
  loadInfraConfig,
  PlatformProcesses,
  uniqueName,
} from '@oversight/testing';
import { ChaosPlan, ChaosScenario, CHAOS_SERVICES, Fault } from './chaos-plan';
import { ReviewCrew } from './chaos-crew';
import { ChaosObserver } from './chaos-observer';
import { chaosClean, chaosFigures, ChaosFigures } from './chaos-verdict';
import { demoStream, LEDGER_ACTION_TYPES, startGroupsAtEnd, withTimeout } from './demo-parts';
import { groupLag, topicEnds } from './kafka-positions';
import { codeInfo, machineInfo, RESULTS_DIR, ROOT, say } from './run-context';
import { BenchFailure } from './run-guard';
import { GatewayClient } from './soak-people';
import { monoNow, round, sleep } from './stats';

const run = promisify(execFile);

/** What the demo executor carries out; an approval of anything else waits for an executor this run lacks. */
const EXECUTABLE: ReadonlySet<string> = new Set(LEDGER_ACTION_TYPES);

const quiet = () => undefined;
const chaosLogger: MessagingLogger = { debug: quiet, info: quiet, warn: quiet, error: quiet };

/** The executor's consumer group (the SDK names it after the executor). */
const executorGroup = (platform: PlatformProcesses) => `executor-${platform.env.EXECUTOR_NAME}`;

export interface ScenarioResult extends ChaosFigures {
  fault: string;
  /** Well-formed decisions the broker refused while the fault lasted: the sender was told, nothing was lost. */
  refusedSends: number;
  /** From the fault's end until decisions, executions, the audit trail and learning were back to their pre-fault backlog. */
  recoverySeconds: number | null;
  /** From the stream's end until every decision and action had ended and the trail had caught up. */
  settleSeconds: number;
  reviewActs: number;
  clean: boolean;
  /** A few of what was lost or doubled, for a person to follow up. */
  examples: string[];
}

export interface ChaosResults {
  mode: 'chaos';
  scale: 'smoke' | 'full';
  store: string;
  startedAt: string;
  finishedAt?: string;
  machine: ReturnType<typeof machineInfo>;
  code: ReturnType<typeof codeInfo>;
  plan: Omit<ChaosPlan, 'scenarios'> & { scenarios: string[] };
  scenarios: ScenarioResult[];
  failure?: string;
}

/** What the run sent and what the broker refused. */
interface Sending {
  sent: string[];
  refused: number;
}

/** Backlogs that say how far behind each stage is. */
interface Backlog {
  decisions: number;
  executions: number;
  audit: number;
  learning: number;
}

export class ChaosRun {
  private readonly infra = new LocalInfra();
  private readonly kafka: Kafka;
  private admin!: Admin;
  private producer!: Producer;
  private readonly results: ChaosResults;

  constructor(private readonly plan: ChaosPlan) {
    this.kafka = createKafka({
      brokers: parseBrokerList(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
      clientId: 'bench-chaos',
      logger: chaosLogger,
    });
    this.results = {
      mode: 'chaos',
      scale: plan.smoke ? 'smoke' : 'full',
      store: `ferretdb-${loadInfraConfig().store.backend}`,
      startedAt: new Date().toISOString(),
      machine: machineInfo(this.infra),
      code: codeInfo(),
      plan: { ...plan, scenarios: plan.scenarios.map((s) => s.name) },
      scenarios: [],
    };
  }

  async run(): Promise<number> {
    const missing = CHAOS_SERVICES.filter(
      (name) => !fs.existsSync(path.join(ROOT, 'dist/apps', name, 'main.js')),
    );
    if (missing.length) {
      say(`no build of ${missing.join(', ')}; build first: npx nx run-many -t build --projects=tag:type:app`);
      return 1;
    }
    try {
      await ensureTopics(this.kafka, TOPIC_SPECS, { logger: chaosLogger });
      await this.connect();
      for (const scenario of this.plan.scenarios) {
        const result = await this.scenario(scenario);
        this.results.scenarios.push(result);
        say(`${scenario.name}: ${this.line(result)}`);
      }
    } catch (error) {
      const failure =
        error instanceof BenchFailure ? error : new BenchFailure(String((error as Error).stack));
      this.results.failure = [failure.message, ...failure.details].join('\n');
      say(`FAILED: ${this.results.failure}`);
    } finally {
      await this.producer?.disconnect().catch(quiet);
      await this.admin?.disconnect().catch(quiet);
    }
    this.results.finishedAt = new Date().toISOString();
    this.write();
    const clean = !this.results.failure && this.results.scenarios.every((s) => s.clean);
    return clean ? 0 : 1;
  }

  private async connect(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.producer = createProducer(this.kafka);
    await this.producer.connect();
    // Topics just created answer offset requests only once their leaders are elected.
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

  private async scenario(scenario: ChaosScenario): Promise<ScenarioResult> {
    const { plan } = this;
    const runId = uniqueName('chaos');
    const prefix = `${runId}-`;
    say(`${scenario.name}: ${plan.decisions} decisions at ${plan.rate}/s (run ${runId})`);
    const platform = new PlatformProcesses(CHAOS_SERVICES, {
      CONSOLE_DIR: 'off',
      // The crew are machines: a person's allowance would throttle them.
      RATE_LIMIT_PER_USER: '1000000',
      RATE_LIMIT_PER_SERVICE: '1000000',
    });
    const env = platform.env;
    const groups = [
      { groupId: env.SCORING_CONSUMER_GROUP, topics: [Topic.DecisionProposed] },
      { groupId: env.ROUTING_CONSUMER_GROUP, topics: [Topic.DecisionScored] },
      { groupId: env.ESCALATION_CONSUMER_GROUP, topics: [Topic.ReviewRequested] },
      { groupId: env.AUDIT_CONSUMER_GROUP, topics: [...EVENT_TOPICS] },
      { groupId: env.LEARNING_CONSUMER_GROUP, topics: [...LEARNING_TOPICS] },
      {
        groupId: executorGroup(platform),
        topics: [Topic.ActionApproved, Topic.ActionResolution, Topic.ActionReversal],
      },
      { groupId: `${runId}-observer`, topics: [...ChaosObserver.TOPICS] },
    ];
    await startGroupsAtEnd(this.kafka, groups);
    const observer = new ChaosObserver(this.kafka, `${runId}-observer`, prefix, EXECUTABLE);
    await observer.start();
    const control = new ControlClient(new EventPublisher(this.producer), 'bench-chaos');
    await control.publishPolicy(
      { ...loadPolicyFile(REFERENCE_POLICY_FILE), policyId: env.POLICY_ID, version: 1 },
      'bench-chaos',
    );
    const crewTokens = new Map<string, string>();
    let crew: ReviewCrew | undefined;
    const sending: Sending = { sent: [], refused: 0 };
    // A scenario that broke a promise keeps its database, so what happened can be read afterwards.
    let keep = true;
    try {
      await platform.start();
      const client = new GatewayClient(platform.gatewayUrl, 10_000);
      for (const user of DEMO_USERS.filter((u) => u.roles.includes('reviewer'))) {
        crewTokens.set(user.id, await client.signIn(user.id));
      }
      crew = new ReviewCrew(client, crewTokens);
      crew.start();

      const stream = demoStream({ seed: plan.seed, idPrefix: prefix });
      const publishing = this.publish(stream, sending);
      while (sending.sent.length + sending.refused < plan.decisions * plan.faultAt) await sleep(100);
      const backlogBefore = await this.backlog(platform, observer, sending);
      say(`${scenario.name}: injecting the fault after ${sending.sent.length} decisions`);
      await this.inject(scenario.fault, platform);
      const faultEnded = monoNow();
      const recovery = this.watchRecovery(platform, observer, sending, backlogBefore, faultEnded);
      await publishing;
      const streamEnded = monoNow();
      const settled = await this.settle(scenario.name, platform, observer, sending);
      const settleSeconds = round((monoNow() - streamEnded) / 1000, 1);
      const recoverySeconds = await recovery.stop();
      await crew.stop();
      const figures = chaosFigures({
        sent: sending.sent,
        events: observer.events,
        validDeadLetters: this.validDeadLetters(observer, sending),
        bookings: await this.bookings(env.MONGODB_URI, prefix),
        auditRecords: await this.auditRecords(env.MONGODB_URI, prefix),
        chainsBroken: await this.chainsBroken(env.MONGODB_URI),
        executable: EXECUTABLE,
      });
      if (!settled) say(`${scenario.name}: not everything settled within ${plan.settleLimitMs / 1000} s`);
      keep = !chaosClean(figures);
      return {
        fault: scenario.name,
        ...figures,
        refusedSends: sending.refused,
        recoverySeconds,
        settleSeconds,
        reviewActs: crew.acts,
        clean: chaosClean(figures),
      };
    } catch (error) {
      for (const name of CHAOS_SERVICES) {
        const tail = platform.process(name).output.trimEnd().split('\n').slice(-8);
        say(`${name}'s last lines:\n  ${tail.join('\n  ')}`);
      }
      throw error;
    } finally {
      await crew?.stop();
      await withTimeout(platform.stop(), 30_000, 'the services did not stop').catch(() =>
        Promise.all(CHAOS_SERVICES.map((name) => platform.process(name).stop('SIGKILL'))),
      );
      await observer.stop().catch(quiet);
      await this.admin.deleteGroups(groups.map((g) => g.groupId)).catch(quiet);
      if (keep) say(`${scenario.name}: kept its database for inspection: ${env.MONGODB_URI}`);
      else await dropTestDatabase(env.MONGODB_URI).catch(quiet);
    }
  }

  /** The stream at the plan's rate; a batch the broker refuses is counted, not retried (the upstream was told). */
  private async publish(stream: ReturnType<typeof demoStream>, sending: Sending): Promise<void> {
    const { plan } = this;
    const publisher = new EventPublisher(this.producer);
    const started = monoNow();
    let published = 0;
    while (published < plan.decisions) {
      const due =
        Math.min(plan.decisions, Math.floor(((monoNow() - started) / 1000) * plan.rate)) - published;
      const batch = Array.from({ length: Math.max(0, due) }, () => stream.next().value);
      published += batch.length;
      const decisions = batch.flatMap((m) => (m?.kind === 'decision' ? [m] : []));
      const malformed = batch.flatMap((m) => (m?.kind === 'malformed' ? [m] : []));
      try {
        if (decisions.length) {
          await publisher.publish(
            Topic.DecisionProposed,
            ...decisions.map((m) =>
              newEvent('DecisionProposed', {
                decisionId: m.decisionId,
                producer: 'chaos-agents',
                payload: m.proposal,
              }),
            ),
          );
          sending.sent.push(...decisions.map((m) => m.decisionId));
        }
        if (malformed.length) {
          await this.producer.send({
            topic: Topic.DecisionProposed,
            messages: malformed.map((m) => ({ key: m.key, value: m.value })),
          });
        }
      } catch {
        sending.refused += decisions.length;
      }
      await sleep(100);
    }
  }

  private async inject(fault: Fault, platform: PlatformProcesses): Promise<void> {
    const restart = async (services: PlatformService[]) => {
      await Promise.all(services.map((name) => platform.process(name).stop('SIGKILL')));
      await sleep(fault.downMs);
      await Promise.all(services.map((name) => platform.process(name).start(120_000)));
    };
    switch (fault.kind) {
      case 'kill':
        return restart(fault.services);
      case 'kill-each':
        for (const service of fault.services) {
          say(`  killing ${service}`);
          await restart([service]);
        }
        return;
      case 'pause-broker':
        return this.pause(this.infra.kafka.daemon.pid(), fault.downMs, 'the broker');
      case 'pause-store':
        return this.pause(this.infra.ferretdb.daemon.pid(), fault.downMs, 'the store');
      case 'kill-broker':
        process.kill(this.required(this.infra.kafka.daemon.pid(), 'the broker'), 'SIGKILL');
        await sleep(fault.downMs);
        await this.infra.kafka.start();
        await this.infra.kafka.waitUntilReady();
        return;
      case 'kill-store':
        process.kill(this.required(this.infra.ferretdb.daemon.pid(), 'the store'), 'SIGKILL');
        await sleep(fault.downMs);
        await this.infra.ferretdb.start();
        await this.infra.ferretdb.waitUntilReady();
        return;
    }
  }

  private required(pid: number | undefined, what: string): number {
    if (!pid)
      throw new BenchFailure(`${what} is not running as a local process: chaos needs the local infra`);
    return pid;
  }

  private async pause(pid: number | undefined, ms: number, what: string): Promise<void> {
    const target = this.required(pid, what);
    process.kill(target, 'SIGSTOP');
    try {
      await sleep(ms);
    } finally {
      process.kill(target, 'SIGCONT');
    }
  }

  private async backlog(
    platform: PlatformProcesses,
    observer: ChaosObserver,
    sending: Sending,
  ): Promise<Backlog> {
    const lag = async (groupId: string, topics: readonly string[]) =>
      Object.values(await groupLag(this.admin, groupId, topics)).reduce((a, b) => a + b, 0);
    return {
      decisions: sending.sent.length - observer.decided,
      executions: observer.toCarryOut,
      audit: await lag(platform.env.AUDIT_CONSUMER_GROUP, EVENT_TOPICS),
      learning: await lag(platform.env.LEARNING_CONSUMER_GROUP, LEARNING_TOPICS),
    };
  }

  /**
   * Samples the backlogs every half second from the fault's end; recovered is the first sample at which each is
   * back within its pre-fault level (half as much again, plus about a second of the stream).
   */
  private watchRecovery(
    platform: PlatformProcesses,
    observer: ChaosObserver,
    sending: Sending,
    before: Backlog,
    from: number,
  ): { stop(): Promise<number | null> } {
    const within = (now: number, then: number) => now <= then * 1.5 + this.plan.rate;
    let recovered: number | null = null;
    let running = true;
    const loop = (async () => {
      while (running && recovered === null) {
        try {
          const now = await withTimeout(this.backlog(platform, observer, sending), 10_000, 'offsets');
          if (
            within(now.decisions, before.decisions) &&
            within(now.executions, before.executions) &&
            within(now.audit, before.audit) &&
            within(now.learning, before.learning)
          ) {
            recovered = round((monoNow() - from) / 1000, 1);
          }
        } catch {
          // The broker may still be coming back: not recovered yet.
        }
        await sleep(500);
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
        return recovered;
      },
    };
  }

  /** Until every decision and action has ended and the audit trail has caught up, or the plan's limit. */
  private async settle(
    name: string,
    platform: PlatformProcesses,
    observer: ChaosObserver,
    sending: Sending,
  ): Promise<boolean> {
    const deadline = monoNow() + this.plan.settleLimitMs;
    let shown = monoNow();
    while (monoNow() < deadline) {
      const backlog = await withTimeout(this.backlog(platform, observer, sending), 30_000, 'offsets').catch(
        () => undefined,
      );
      if (backlog && backlog.decisions === 0 && backlog.executions === 0 && backlog.audit === 0) {
        // The reader may be a moment behind the audit service.
        await sleep(2_000);
        return true;
      }
      if (backlog && monoNow() - shown > 15_000) {
        shown = monoNow();
        say(
          `${name}: settling: ${backlog.decisions} decisions open, ${backlog.executions} actions to carry out, ` +
            `audit ${backlog.audit} behind`,
        );
      }
      await sleep(1_000);
    }
    return false;
  }

  /** Dead letters of anything but the demo's deliberately malformed proposals. */
  private validDeadLetters(observer: ChaosObserver, sending: Sending): number {
    const wellFormed = new Set(sending.sent);
    return observer.deadLetters.filter(
      (letter) => letter.sourceTopic !== Topic.DecisionProposed || wellFormed.has(letter.key),
    ).length;
  }

  /** The run's bookings (reversals aside): a run's own database, read whole once at its end. */
  private async bookings(uri: string, prefix: string): Promise<string[]> {
    return this.withStore(uri, async (client) => {
      const docs = await client
        .db()
        .collection<{ _id: string; decisionId: string; kind: string }>('demo_ledger')
        .find({}, { projection: { decisionId: 1, kind: 1 }, comment: 'offline:chaos-check' })
        .toArray();
      return docs
        .filter((d) => d.kind !== 'reversal' && d.decisionId.startsWith(prefix))
        .map((d) => d.decisionId);
    });
  }

  private async auditRecords(uri: string, prefix: string): Promise<string[]> {
    return this.withStore(uri, async (client) => {
      const docs = await client
        .db()
        .collection<{ _id: string; eventId: string; decisionId?: string }>('audit_events')
        .find({}, { projection: { eventId: 1, decisionId: 1 }, comment: 'offline:chaos-check' })
        .toArray();
      return docs.filter((d) => d.decisionId?.startsWith(prefix)).map((d) => d.eventId);
    });
  }

  private async withStore<T>(uri: string, work: (client: MongoClient) => Promise<T>): Promise<T> {
    const client = new MongoClient(uri, { ...STORE_CONNECTION_OPTIONS, socketTimeoutMS: 300_000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.close();
    }
  }

  /** `audit verify` on the run's database: 0 when every chain verifies (it names the first broken link). */
  private async chainsBroken(uri: string): Promise<number> {
    try {
      await run(process.execPath, [path.join(ROOT, 'dist/apps/audit/cli.js'), 'verify'], {
        env: { ...process.env, MONGODB_URI: uri, LOG_LEVEL: 'warn' },
        timeout: 300_000,
      });
      return 0;
    } catch (error) {
      const failed = error as { code?: number; stderr?: string };
      if (failed.code === 1) {
        say(`audit verify: ${failed.stderr?.trim()}`);
        return 1;
      }
      throw new BenchFailure(`audit verify could not run: ${failed.stderr ?? String(error)}`);
    }
  }

  private line(r: ScenarioResult): string {
    return (
      `${r.decisions} decisions, lost ${r.lost}, duplicated approvals ${r.duplicatedApprovals}, ` +
      `duplicated executions ${r.duplicatedExecutions}, audit missing ${r.auditMissing}, audit duplicates ` +
      `${r.auditDuplicates}, chains broken ${r.chainsBroken}, valid dead letters ${r.validDeadLetters}; ` +
      `recovered in ${r.recoverySeconds ?? 'never'} s, settled in ${r.settleSeconds} s` +
      (r.examples.length ? `\n  ${r.examples.join('\n  ')}` : '')
    );
  }

  private write(): void {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, this.plan.smoke ? 'latest-chaos-smoke.json' : 'latest-chaos.json');
    fs.writeFileSync(file, `${JSON.stringify(this.results, null, 2)}\n`);
    say(`wrote ${path.relative(ROOT, file)}`);
    const rows = this.results.scenarios.map(
      (r) =>
        `| ${r.fault} | ${r.decisions} | ${r.lost} | ${r.duplicatedApprovals} | ${r.duplicatedExecutions} | ` +
        `${r.auditMissing} | ${r.auditDuplicates} | ${r.chainsBroken} | ${r.validDeadLetters} | ` +
        `${r.recoverySeconds ?? 'never'} | ${r.settleSeconds} |`,
    );
    process.stdout.write(
      [
        '| fault | decisions | lost | dup. approvals | dup. executions | audit missing | audit dup. | chains broken | valid DLQ | recovery s | settle s |',
        '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
        ...rows,
        '',
      ].join('\n'),
    );
  }
}
