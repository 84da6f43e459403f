import { PLATFORM_SERVICES, PlatformService } from '@oversight/contracts';
/**
 * Scoring, routing, escalation, audit, learning, the gateway and the demo executor, each run from its build as its own process, as in production. Their output stays
 * out of the terminal and goes to `<logs>/<service>.demo.log`, rewritten each run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_METRICS_PORTS } from '@oversight/observability';
import { ServiceProcess } from '@oversight/testing';

export const DEMO_SERVICES = PLATFORM_SERVICES;
export type DemoServiceName = PlatformService;

export function serviceLogFile(logsDir: string, name: string): string {
  return path.join(logsDir, `${name}.demo.log`);
}

/** The builds the demo runs; missing ones are named with the command that makes them. */
export function missingBuilds(workspaceRoot: string): string[] {
  return DEMO_SERVICES.filter(
    (name) => !fs.existsSync(path.join(workspaceRoot, 'dist/apps', name, 'main.js')),
  );
}

class RunningService {
  readonly process: ServiceProcess;
  private written = 0;

  constructor(
    readonly name: DemoServiceName,
    env: Record<string, string>,
    readonly logFile: string,
  ) {
    // `npm start` serves each service's metrics on its own default port, where Prometheus scrapes them.
    this.process = new ServiceProcess(name, { METRICS_PORT: String(DEFAULT_METRICS_PORTS[name]), ...env });
    fs.writeFileSync(logFile, '');
  }

  /** Appends what the service printed since the last call to its log file. */
  flush(): void {
    const output = this.process.output;
    if (output.length === this.written) return;
    fs.appendFileSync(this.logFile, output.slice(this.written));
    this.written = output.length;
  }

  /** Whether the process is still there (ServiceProcess reports an exit only before start-up completes). */
  get up(): boolean {
    const pid = this.process.pid;
    if (pid === undefined) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

export class DemoServices {
  private readonly services: RunningService[];
  private timer?: NodeJS.Timeout;

  constructor(envFor: (name: DemoServiceName) => Record<string, string>, logsDir: string) {
    fs.mkdirSync(logsDir, { recursive: true });
    this.services = DEMO_SERVICES.map(
      (name) => new RunningService(name, envFor(name), serviceLogFile(logsDir, name)),
    );
  }

  /** Starts all three at once; if one fails, stops the others and throws with its last output. */
  async start(): Promise<void> {
    this.timer = setInterval(() => this.flush(), 500);
    const results = await Promise.allSettled(this.services.map((service) => service.process.start()));
    this.flush();
    const failed = results.flatMap((result, i) =>
      result.status === 'rejected'
        ? [`${(result.reason as Error).message}\n(log: ${this.services[i].logFile})`]
        : [],
    );
    if (failed.length) {
      await this.stop(10_000);
      throw new Error(failed.join('\n\n'));
    }
  }

  get pids(): string {
    return this.services.map((service) => `${service.name} ${service.process.pid}`).join(', ');
  }

  status(): { name: string; up: boolean }[] {
    return this.services.map((service) => ({ name: service.name, up: service.up }));
  }

  get logFiles(): string[] {
    return this.services.map((service) => service.logFile);
  }

  /**
   * Graceful stop (SIGTERM) of all three: each finishes its in-flight work and commits before it exits. One that
   * is still there after `graceMs` (stuck on an unanswering store, say) is killed. Returns the names killed.
   */
  async stop(graceMs = 40_000): Promise<string[]> {
    try {
      const graceful = Promise.all(this.services.map((service) => service.process.stop('SIGTERM')));
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
      ]);
      clearTimeout(timer);
      if (!late) return [];
      const stuck = this.services.filter((service) => service.up);
      await Promise.all(stuck.map((service) => service.process.stop('SIGKILL')));
      return stuck.map((service) => service.name);
    } finally {
      clearInterval(this.timer);
      this.flush();
    }
  }

  /** Kills all three at once (the third Ctrl-C). */
  async kill(): Promise<void> {
    await Promise.all(this.services.map((service) => service.process.stop('SIGKILL')));
  }

  private flush(): void {
    for (const service of this.services) service.flush();
  }
}
