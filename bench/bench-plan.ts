export type Scale = 'smoke' | 'full';

/** How big a run is. The smoke run exercises every step in seconds, for CI; the full run is what we publish. */
export interface BenchPlan {
  scale: Scale;
  /** Decisions pushed through before anything is measured: group joins, JIT, connection pools. */
  warmupDecisions: number;
  /** Messages of the raw pass-through warm-up, for the same reason. */
  baselineWarmupMessages: number;
  /** Decisions (and baseline messages) pushed as fast as possible for the throughput figure. */
  throughputDecisions: number;
  /** Offered loads of the latency runs, decisions per second. */
  loadLevels: number[];
  levelSeconds: number;
  /** Decisions per produce request when pushing as fast as possible (well under the broker's 1 MiB batch). */
  chunkSize: number;
  /** A run fails when no awaited output (outcome, audit progress) arrives for this long. */
  stallTimeoutMs: number;
  /** Sequential single requests timed at idle to price one produce and one store write. */
  unitCostSamples: number;
  /** `--tracing`: the services export every span over OTLP/HTTP to a receiver of the bench's own. */
  tracing: boolean;
}

const PLANS: Record<Scale, Omit<BenchPlan, 'scale' | 'tracing'>> = {
  smoke: {
    warmupDecisions: 50,
    baselineWarmupMessages: 50,
    throughputDecisions: 300,
    loadLevels: [50, 200, 400],
    levelSeconds: 2,
    chunkSize: 500,
    stallTimeoutMs: 30_000,
    unitCostSamples: 50,
  },
  full: {
    warmupDecisions: 200,
    baselineWarmupMessages: 200,
    throughputDecisions: 20_000,
    loadLevels: [50, 200, 500, 1000, 2000],
    levelSeconds: 10,
    chunkSize: 500,
    stallTimeoutMs: 60_000,
    unitCostSamples: 200,
  },
};

const ARGUMENTS = ['--smoke', '--full', '--tracing'];

/**
 * `--smoke` (or `--full`) on the command line wins over BENCH_SCALE; the full run is the default. `--tracing`
 * runs the same plan with tracing on, to price it against a run without.
 */
export function benchPlan(argv: readonly string[], env: NodeJS.ProcessEnv): BenchPlan {
  const unknown = argv.filter((arg) => !ARGUMENTS.includes(arg));
  if (unknown.length) {
    throw new Error(`unknown argument(s) ${unknown.join(' ')}; use ${ARGUMENTS.join(', ')}`);
  }
  const fromEnv = env.BENCH_SCALE?.trim();
  if (fromEnv && fromEnv !== 'smoke' && fromEnv !== 'full') {
    throw new Error(`BENCH_SCALE=${fromEnv} is not a scale; use smoke or full`);
  }
  const scale: Scale = argv.includes('--smoke')
    ? 'smoke'
    : argv.includes('--full')
      ? 'full'
      : ((fromEnv as Scale | undefined) ?? 'full');
  return { scale, ...PLANS[scale], tracing: argv.includes('--tracing') };
}
