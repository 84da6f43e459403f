import { DEMO_PASSWORD } from '@oversight/auth';
import { DEMO_FUNCTIONS } from './demo-parts';
import { RunGuard } from './run-guard';
import { monoNow, round, sleep, summarize } from './stats';

/** The reads a person or an upstream system waits for, as the console and the SDK make them. */
export const READS = [
  'queue',
  'taskView',
  'decisionStatus',
  'decisionList',
  'timeline',
  'auditSearch',
  'metrics',
] as const;
export type ReadName = (typeof READS)[number];

export interface ReadFigures {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Not answered within the read timeout (counted in the percentiles at the timeout). */
  timeouts: number;
  /** Answered with anything but 2xx (a 5xx is also in http5xx). */
  errors: number;
}

/** What went over HTTP in one window: every call of the probe and the reviewers. */
export interface HttpWindow {
  reads: Partial<Record<ReadName, ReadFigures>>;
  requests: number;
  http5xx: number;
  /** Reviewers' acts that took effect (approve or reject answered 200). */
  reviewerActs: number;
  /** Status lines of the first few failures, to say what went wrong. */
  failures: string[];
}

/** Durations, timeouts and errors of each read over some span (a minute, a level). */
class ReadTally {
  private readonly durations = new Map<ReadName, number[]>();
  private readonly timeouts = new Map<ReadName, number>();
  private readonly errors = new Map<ReadName, number>();

  add(name: ReadName, ms: number, outcome: 'ok' | 'timeout' | 'error'): void {
    const list = this.durations.get(name) ?? [];
    list.push(round(ms));
    this.durations.set(name, list);
    if (outcome === 'timeout') this.timeouts.set(name, (this.timeouts.get(name) ?? 0) + 1);
    if (outcome === 'error') this.errors.set(name, (this.errors.get(name) ?? 0) + 1);
  }

  figures(): Partial<Record<ReadName, ReadFigures>> {
    const reads: Partial<Record<ReadName, ReadFigures>> = {};
    for (const name of READS) {
      const values = this.durations.get(name) ?? [];
      if (!values.length) continue;
      const s = summarize(values);
      reads[name] = {
        count: s.count,
        p50: s.p50,
        p95: s.p95,
        p99: s.p99,
        max: s.max,
        timeouts: this.timeouts.get(name) ?? 0,
        errors: this.errors.get(name) ?? 0,
      };
    }
    return reads;
  }
}

/** Every request through the gateway, timed and counted into the current minute and level. */
export class GatewayClient {
  private minute = new ReadTally();
  private level = new ReadTally();
  private requests = 0;
  private http5xx = 0;
  private acts = 0;
  private failures: string[] = [];
  /** Aborts the requests in progress when the load stops: a read may otherwise wait out its whole timeout. */
  private stopping = new AbortController();
  /** Over the whole run. */
  total5xx = 0;
  totalRequests = 0;

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async signIn(user: string): Promise<string> {
    const answer = await this.request('POST', '/v1/sessions', undefined, { user, password: DEMO_PASSWORD });
    if (answer.status !== 201) throw new Error(`sign-in of ${user} answered ${answer.status}`);
    return (answer.body as { token: string }).token;
  }

  /** A timed read: its duration goes into the read's figures, a timeout counts at the timeout. */
  async read<T>(name: ReadName, token: string, path: string): Promise<T | undefined> {
    const started = monoNow();
    const answer = await this.request('GET', path, token);
    // Cut short by the end of the load: neither a duration nor a timeout of the platform.
    if (this.stopping.signal.aborted) return undefined;
    const took = answer.status === 0 ? this.timeoutMs : monoNow() - started;
    const outcome = answer.status === 0 ? 'timeout' : answer.status >= 300 ? 'error' : 'ok';
    this.minute.add(name, took, outcome);
    this.level.add(name, took, outcome);
    return answer.status === 200 ? (answer.body as T) : undefined;
  }

  /** A reviewer's own read: counted as a request, kept out of the probe's figures. */
  async get<T>(token: string, path: string): Promise<T | undefined> {
    const answer = await this.request('GET', path, token);
    return answer.status === 200 ? (answer.body as T) : undefined;
  }

  async act(token: string, path: string, body: unknown): Promise<number> {
    const answer = await this.request('POST', path, token, body);
    if (answer.status === 200) this.acts++;
    return answer.status;
  }

  /** Ends the requests in progress (the load stopped); the next level's requests run normally. */
  abortAll(): void {
    this.stopping.abort();
  }

  /** Lets requests run again after `abortAll`. */
  resume(): void {
    this.stopping = new AbortController();
  }

  /** The minute's figures; the next minute starts. */
  takeWindow(): HttpWindow {
    const window = {
      reads: this.minute.figures(),
      requests: this.requests,
      http5xx: this.http5xx,
      reviewerActs: this.acts,
      failures: this.failures,
    };
    this.minute = new ReadTally();
    this.requests = 0;
    this.http5xx = 0;
    this.acts = 0;
    this.failures = [];
    return window;
  }

  /** The reads of the whole level; the next level starts. */
  takeLevel(): Partial<Record<ReadName, ReadFigures>> {
    const reads = this.level.figures();
    this.level = new ReadTally();
    return reads;
  }

  /** Status 0 when the gateway did not answer in time or the connection failed. */
  private async request(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body?: unknown }> {
    this.requests++;
    this.totalRequests++;
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.stopping.signal]),
      });
      const text = await response.text();
      if (response.status >= 500) {
        this.http5xx++;
        this.total5xx++;
      }
      if (response.status >= 400) this.note(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    } catch (error) {
      if (this.stopping.signal.aborted) return { status: 0 };
      this.note(`${method} ${path}: no answer (${(error as Error).message})`);
      return { status: 0 };
    }
  }

  private note(line: string): void {
    if (this.failures.length < 5) this.failures.push(line);
  }
}

/** The part of a queue entry the bench reads. */
interface QueuedTask {
  decisionId: string;
  youMay: { approve: true | string; reject: true | string };
}

/** Decisions the probe reads back: recent ones of the run, as an upstream system would ask about its own. */
export type RecentDecisions = () => string | undefined;

/**
 * The bench's own probe loop: round after round, each read a person or an upstream system waits for, one at a
 * time, so that each figure is the latency of one request on the loaded platform and not of the bench's own
 * queueing.
 */
export class ReadProbe {
  private running = false;
  private loop?: Promise<void>;
  private round = 0;

  constructor(
    private readonly client: GatewayClient,
    private readonly tokens: { supervisor: string; auditor: string },
    private readonly recent: RecentDecisions,
    private readonly pauseMs: number,
    private readonly guard: RunGuard,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.oneRound();
      } catch (error) {
        this.guard.fail(error as Error);
        return;
      }
      await sleep(this.pauseMs);
    }
  }

  private async oneRound(): Promise<void> {
    const { supervisor, auditor } = this.tokens;
    const fn = DEMO_FUNCTIONS[this.round++ % DEMO_FUNCTIONS.length];
    const queue = await this.client.read<QueuedTask[]>('queue', supervisor, '/v1/review-tasks?limit=50');
    const task = queue?.[Math.floor(Math.random() * queue.length)];
    if (task) {
      await this.client.read(
        'taskView',
        supervisor,
        `/v1/review-tasks/${encodeURIComponent(task.decisionId)}`,
      );
    }
    const decisionId = this.recent();
    if (decisionId) {
      const id = encodeURIComponent(decisionId);
      await this.client.read('decisionStatus', auditor, `/v1/decisions/${id}`);
      await this.client.read('timeline', auditor, `/v1/decisions/${id}/timeline`);
    }
    await this.client.read('decisionList', auditor, '/v1/decisions?limit=50');
    // The audit screen's search: one function, what went to people, over the last hour.
    const from = new Date(Date.now() - 3_600_000).toISOString();
    await this.client.read(
      'auditSearch',
      auditor,
      `/v1/decisions?function=${encodeURIComponent(fn)}&route=review&from=${encodeURIComponent(from)}&limit=50`,
    );
    await this.client.read('metrics', supervisor, '/v1/oversight/metrics?hours=1&bucketMinutes=5');
  }
}

/**
 * A person working their queue at a human pace: every few seconds they look at the queue, open one task they
 * may decide, read it and approve it (or, one time in six, reject it with a reason). Acts refused because
 * someone else got there first (409) are part of working a shared queue.
 */
export class SimulatedReviewer {
  private running = false;
  private loop?: Promise<void>;

  constructor(
    readonly user: string,
    private readonly token: string,
    private readonly client: GatewayClient,
    private readonly pauseMs: [number, number],
    private readonly guard: RunGuard,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    // Spread out, as people do not all look at once.
    await sleep(Math.random() * this.pauseMs[1]);
    while (this.running) {
      try {
        await this.oneTask();
      } catch (error) {
        this.guard.fail(error as Error);
        return;
      }
      const [low, high] = this.pauseMs;
      await sleep(low + Math.random() * (high - low));
    }
  }

  private async oneTask(): Promise<void> {
    const queue = await this.client.get<QueuedTask[]>(this.token, '/v1/review-tasks?limit=20');
    const task = queue?.find((t) => t.youMay?.approve === true);
    if (!this.running || !task) return;
    const path = `/v1/review-tasks/${encodeURIComponent(task.decisionId)}`;
    await this.client.get(this.token, path);
    if (!this.running) return;
    if (Math.random() < 1 / 6 && task.youMay.reject === true) {
      await this.client.act(this.token, `${path}/reject`, {
        reasonCode: 'insufficient-evidence',
        comment: 'soak: the context does not support it',
      });
    } else {
      await this.client.act(this.token, `${path}/approve`, { comment: 'soak: checked' });
    }
  }
}
