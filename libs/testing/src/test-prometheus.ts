import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

export interface ScrapeTarget {
  job: string;
  /** host:port serving /metrics. */
  address: string;
}

/**
 * A Prometheus of a test's own (Debian's `prometheus`, or PROMETHEUS_BIN), on a free loopback port, scraping the
 * given targets (and itself, with `scrapeSelf`) every second (or `scrapeInterval`) and evaluating the given rule file text every second, its data in a temporary
 * folder removed by `stop()`. Small and separate from the embedded setup's Prometheus.
 */
export class TestPrometheus {
  private child?: ChildProcess;
  private dir?: string;
  private log = '';
  port = 0;

  constructor(
    private readonly targets: ScrapeTarget[],
    private readonly rules = '',
    private readonly options: { scrapeSelf?: boolean; scrapeInterval?: string } = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get output(): string {
    return this.log;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    this.port = await freePort();
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'test-prometheus-'));
    const config = {
      global: { scrape_interval: this.options.scrapeInterval ?? '1s', evaluation_interval: '1s' },
      rule_files: this.rules ? [path.join(this.dir, 'rules.yml')] : [],
      scrape_configs: [
        ...this.targets,
        // Itself too when asked, as a deployment's Prometheus does (job `prometheus`).
        ...(this.options.scrapeSelf ? [{ job: 'prometheus', address: `127.0.0.1:${this.port}` }] : []),
      ].map((target) => ({ job_name: target.job, static_configs: [{ targets: [target.address] }] })),
    };
    // JSON is YAML: no YAML library needed for a generated file.
    writeFileSync(path.join(this.dir, 'prometheus.yml'), JSON.stringify(config));
    if (this.rules) writeFileSync(path.join(this.dir, 'rules.yml'), this.rules);
    const child = spawn(
      process.env.PROMETHEUS_BIN ?? 'prometheus',
      [
        `--config.file=${path.join(this.dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${this.port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stdout?.on('data', (chunk) => (this.log += chunk));
    child.stderr?.on('data', (chunk) => (this.log += chunk));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}):\n${this.log}`);
      const ready = await fetch(`${this.url}/-/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`prometheus was not ready in ${timeoutMs} ms:\n${this.log}`);
  }

  /** One instant query's samples. */
  async query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    return body.data.result;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    this.child = undefined;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/** A /metrics endpoint a test serves itself, with the exposition text it chooses, for a Prometheus to scrape. */
export async function serveMetrics(
  text: () => string,
): Promise<{ address: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
