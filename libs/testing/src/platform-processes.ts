import { PlatformService } from '@oversight/contracts';
import { ServiceProcess } from './service-process';
import { testDatabaseUri } from './mongo-test-kit';
import { uniqueName } from './test-names';

/**
 * The platform's services as processes from their builds, for one test suite: a database, consumer groups and
 * a policy id of their own, so suites sharing the broker never read each other's state, and free ports.
 */
export class PlatformProcesses {
  readonly runId = uniqueName('run');
  readonly policyId = uniqueName('policy');
  readonly databaseUri: string;
  readonly env: Record<string, string>;
  private readonly escalationPort = 20_000 + Math.floor(Math.random() * 4000);
  private readonly processes: Map<PlatformService, ServiceProcess>;

  constructor(services: readonly PlatformService[], extraEnv: Record<string, string> = {}) {
    this.databaseUri = testDatabaseUri(this.runId);
    this.env = {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      MONGODB_URI: this.databaseUri,
      POLICY_ID: this.policyId,
      SCORING_CONSUMER_GROUP: `scoring-${this.runId}`,
      ROUTING_CONSUMER_GROUP: `routing-${this.runId}`,
      ESCALATION_CONSUMER_GROUP: `escalation-${this.runId}`,
      AUDIT_CONSUMER_GROUP: `audit-${this.runId}`,
      LEARNING_CONSUMER_GROUP: `learning-${this.runId}`,
      EXECUTOR_NAME: `ledger-${this.runId}`,
      ESCALATION_PORT: String(this.escalationPort),
      ESCALATION_URL: `http://127.0.0.1:${this.escalationPort}`,
      GATEWAY_PORT: String(this.escalationPort + 1),
      LOG_LEVEL: 'log',
      ...extraEnv,
    };
    this.processes = new Map(services.map((name) => [name, new ServiceProcess(name, this.env)]));
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.env.GATEWAY_PORT}`;
  }

  process(name: PlatformService): ServiceProcess {
    const found = this.processes.get(name);
    if (!found) throw new Error(`${name} is not one of this suite's services`);
    return found;
  }

  /** Starts the named services, every one when none is named. Start each once: a second start spawns a twin. */
  async start(only?: readonly PlatformService[]): Promise<void> {
    const names = only ?? [...this.processes.keys()];
    await Promise.all(names.map((name) => this.process(name).start()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((service) => service.stop()));
  }
}
