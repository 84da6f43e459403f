/** One sustained load: the demo's stream at `rate` decisions per second for `minutes`. */
export interface SoakLevel {
  rate: number;
  minutes: number;
}

/** How big a soak is: `npm run bench -- --soak [--rate N --minutes M] [--seed-records N] [--seed-rate N] [--smoke]`. */
export interface SoakPlan {
  smoke: boolean;
  levels: SoakLevel[];
  /** The audit trail holds at least this many records before the first level starts (seeded if short). */
  seedRecords: number;
  /**
   * Decisions per second while seeding: what scoring, routing and audit on FerretDB store as fast as it comes
   * (each seeded decision makes three audit records); more only builds a backlog the drain then waits out.
   */
  seedRate: number;
  /** Simulated people acting through the gateway, each every `reviewerPauseMs` (a range). */
  reviewers: readonly string[];
  reviewerPauseMs: [number, number];
  /** Pause between two rounds of the probe loop's reads. */
  probePauseMs: number;
  /** A read that has not answered by then is counted as timed out, at this duration. */
  readTimeoutMs: number;
  /** How often in-flight decisions and lags are sampled (the per-minute figures are the worst sample). */
  sampleMs: number;
  minuteMs: number;
  /** A level's drain gives up after this long and the next level starts on what was left (it is reported). */
  drainLimitMs: number;
  /** A run fails when nothing it waits for moves for this long. */
  stallTimeoutMs: number;
  seed: number;
}

/** Reviewers of the demo users: billing, invoices, what the policy does not name, and a supervisor. */
const REVIEWERS = ['sue', 'carl', 'otto', 'vera'] as const;

export const DEFAULT_LEVELS: readonly SoakLevel[] = [
  { rate: 20, minutes: 30 },
  { rate: 100, minutes: 10 },
];
const SMOKE_LEVEL: SoakLevel = { rate: 5, minutes: 1 };

export const SOAK_USAGE =
  'usage: npm run bench -- --soak [--rate <decisions/s> --minutes <n>] [--seed-records <n>] [--seed-rate <n>] [--smoke]';

/** Parses the soak's arguments (`--soak` itself included); throws naming the argument that is wrong. */
export function soakPlan(argv: readonly string[]): SoakPlan {
  const values: Record<string, number> = {};
  let smoke = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--soak') continue;
    if (arg === '--smoke') {
      smoke = true;
      continue;
    }
    const match = /^--(rate|minutes|seed-records|seed-rate)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg}; ${SOAK_USAGE}`);
    const raw = match[2] ?? argv[++i];
    const value = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
      throw new Error(`--${match[1]} ${raw ?? ''}: must be a number above 0`);
    }
    values[match[1]] = value;
  }
  if (values['seed-records'] !== undefined && !Number.isInteger(values['seed-records'])) {
    throw new Error('--seed-records must be a whole number');
  }
  const base = smoke ? [SMOKE_LEVEL] : DEFAULT_LEVELS;
  // One level when either is given; the other keeps the first default level's value.
  const levels =
    values.rate !== undefined || values.minutes !== undefined
      ? [{ rate: values.rate ?? base[0].rate, minutes: values.minutes ?? base[0].minutes }]
      : [...base];
  return {
    smoke,
    levels,
    seedRecords: values['seed-records'] ?? (smoke ? 1_000 : 200_000),
    seedRate: values['seed-rate'] ?? 100,
    reviewers: REVIEWERS,
    reviewerPauseMs: [5_000, 10_000],
    probePauseMs: 2_000,
    readTimeoutMs: smoke ? 30_000 : 120_000,
    sampleMs: 5_000,
    minuteMs: 60_000,
    drainLimitMs: smoke ? 120_000 : 900_000,
    stallTimeoutMs: smoke ? 60_000 : 180_000,
    seed: 2026,
  };
}
