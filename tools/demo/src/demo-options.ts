/** The demo's command line: `run-demo.ts [--for <seconds>] [--rate <per second>] [--seed <n>]`. */

export interface DemoOptions {
  /** Stop by itself after this long; undefined runs until Ctrl-C or SIGTERM. */
  durationSeconds?: number;
  /** Decisions published per second. */
  rate: number;
  /** Fixes the stream's content; the same seed replays the same mix. */
  seed: number;
}

/** Interactive runs go on until stopped; scripts and CI get a run that ends by itself. */
export const NON_INTERACTIVE_SECONDS = 30;
export const DEFAULT_RATE = 20;
export const DEFAULT_SEED = 2026;

export const USAGE = `usage: npm start -- [--for <seconds>] [--rate <decisions per second>] [--seed <n>]
       npm run demo -- [same options]   (services built, Kafka and FerretDB up)

  --for <seconds>  stop after this long; 0 runs until Ctrl-C. Default: until Ctrl-C in a terminal,
                   ${NON_INTERACTIVE_SECONDS} s when stdin is not a terminal or CI is set
  --rate <n>       decisions published per second (default ${DEFAULT_RATE})
  --seed <n>       seed of the stream's content; the same seed gives the same mix (default ${DEFAULT_SEED})`;

export type ParsedArgs = { ok: true; options: DemoOptions } | { ok: false; help: boolean; error?: string };

/** Parses the arguments; `interactive` is false when stdin is not a terminal or CI is set. */
export function parseDemoArgs(argv: readonly string[], interactive: boolean): ParsedArgs {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { ok: false, help: true };
    const match = /^--(for|rate|seed)(?:=(.*))?$/.exec(arg);
    if (!match) return { ok: false, help: false, error: `unknown argument ${arg}` };
    const value = match[2] ?? argv[++i];
    if (value === undefined) return { ok: false, help: false, error: `--${match[1]} needs a value` };
    values[match[1]] = value;
  }

  const number = (name: string, check: (n: number) => boolean, rule: string) => {
    const raw = values[name];
    if (raw === undefined) return { value: undefined };
    const value = Number(raw);
    return raw.trim() !== '' && Number.isFinite(value) && check(value)
      ? { value }
      : { error: `--${name} ${raw}: must be ${rule}` };
  };
  const duration = number('for', (n) => n >= 0, 'a number of seconds, 0 or more');
  const rate = number('rate', (n) => n > 0 && n <= 1000, 'more than 0 and at most 1000');
  const seed = number(
    'seed',
    (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32,
    'a whole number below 2^32',
  );
  const error = duration.error ?? rate.error ?? seed.error;
  if (error) return { ok: false, help: false, error };

  const durationSeconds =
    duration.value !== undefined
      ? duration.value || undefined
      : interactive
        ? undefined
        : NON_INTERACTIVE_SECONDS;
  return {
    ok: true,
    options: { durationSeconds, rate: rate.value ?? DEFAULT_RATE, seed: seed.value ?? DEFAULT_SEED },
  };
}

/** A terminal a person is at: stdin is a TTY and CI is not set. */
export function isInteractive(stdinIsTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return stdinIsTTY === true && (ci === undefined || ci === '' || ci === 'false' || ci === '0');
}
