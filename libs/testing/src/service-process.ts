import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

/**
 * V8's old-space limit for the services on the decision's path, in MB (deploy sets the same through
 * NODE_OPTIONS). Without one, V8 lets a heap grow towards what the machine has before it collects hard: under
 * the bench's backlog routing and audit reached 286 and 332 MB RSS, with these limits at most 190.
 */
export const SERVICE_HEAP_MB: Readonly<Record<string, number>> = { scoring: 96, routing: 96, audit: 96 };

/**
 * What the embedded setup (`npm start`, the test ring, the benchmarks) asks of every service it starts: the
 * demo users' sign-in, which is off in any other start; and per-address limits fit for one machine, where
 * every person and tool calls from the loopback address (the gateway's defaults assume one address is one
 * client). A suite's own env overrides these, as the gateway's abuse tests do.
 */
export const EMBEDDED_SETUP_ENV: Readonly<Record<string, string>> = {
  AUTH_DEMO_SIGN_IN: 'on',
  RATE_LIMIT_PER_IP: '100000',
  SIGN_IN_LIMIT_PER_IP: '600',
};

/** The line every service logs once its operations listener listens. */
const METRICS_LINE = /metrics on (http:\/\/[^\s"]+\/metrics)/g;

/**
 * A built service (dist/apps/<name>/main.js) run as its own process, as in production: for end-to-end tests
 * and the demo. `start()` resolves when the service logs that it started, and fails with its output if it
 * exits first.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private log = '';

  constructor(
    readonly name: string,
    /** Over the embedded setup and this process's environment; `undefined` leaves a variable out. */
    private readonly env: Record<string, string | undefined>,
    private readonly echo = false,
  ) {}

  /** Everything the service printed, across restarts. */
  get output(): string {
    return this.log;
  }

  /** Started and not exited. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(timeoutMs = 60_000): Promise<void> {
    // SERVICE_NODE_ARGS adds Node options NODE_OPTIONS refuses, e.g. `--cpu-prof --cpu-prof-dir=tmp/prof`.
    const heapMB = SERVICE_HEAP_MB[this.name];
    const nodeArgs = [
      ...(heapMB ? [`--max-old-space-size=${heapMB}`] : []),
      ...(process.env.SERVICE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    ];
    const main = path.join(WORKSPACE_ROOT, 'dist/apps', this.name, 'main.js');
    const child = spawn(process.execPath, [...nodeArgs, main], {
      // An ephemeral operations listener unless the caller names a port: suites run side by side (and beside
      // `npm start`'s default ports); metricsUrl() reads where it listens.
      env: { ...EMBEDDED_SETUP_ENV, ...process.env, LOG_FORMAT: 'json', METRICS_PORT: '0', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name} did not start in ${timeoutMs} ms:\n${this.tail()}`)),
        timeoutMs,
      );
      // SERVICE_LOG_DIR keeps every service's output in <dir>/<name>.log, for reading after a failed run.
      const logDir = process.env.SERVICE_LOG_DIR;
      if (logDir) fs.mkdirSync(logDir, { recursive: true });
      const onData = (chunk: Buffer) => {
        this.log += chunk.toString();
        if (logDir) fs.appendFileSync(path.join(logDir, `${this.name}.log`), chunk);
        if (this.echo) process.stdout.write(chunk);
        if (this.log.includes(`${this.name} service started`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(
          new Error(
            `${this.name} exited (code ${code}, signal ${signal}) before it started:\n${this.tail()}`,
          ),
        );
      });
    });
  }

  /**
   * Where the service serves its metrics now (`http://HOST:PORT/metrics`), from its latest "metrics on" line: a
   * restarted service listens on a new ephemeral port.
   */
  metricsUrl(): string {
    const urls = [...this.log.matchAll(METRICS_LINE)].map((match) => match[1]);
    const latest = urls[urls.length - 1];
    if (!latest) throw new Error(`${this.name} has not said where its metrics are:\n${this.tail()}`);
    return latest;
  }

  /** A graceful stop (SIGTERM), or a crash (SIGKILL). Resolves when the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  private tail(): string {
    return this.log.trimEnd().split('\n').slice(-30).join('\n');
  }
}
