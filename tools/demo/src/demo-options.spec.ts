import {
  DEFAULT_RATE,
  DEFAULT_SEED,
  isInteractive,
  NON_INTERACTIVE_SECONDS,
  parseDemoArgs,
} from './demo-options';

describe('demo options', () => {
  it('runs until stopped at a terminal, and for a while elsewhere', () => {
    expect(parseDemoArgs([], true)).toEqual({
      ok: true,
      options: { durationSeconds: undefined, rate: DEFAULT_RATE, seed: DEFAULT_SEED },
    });
    expect(parseDemoArgs([], false)).toMatchObject({
      ok: true,
      options: { durationSeconds: NON_INTERACTIVE_SECONDS },
    });
  });

  it('takes --for, --rate and --seed, with or without =', () => {
    expect(parseDemoArgs(['--for', '20', '--rate=5', '--seed', '42'], true)).toEqual({
      ok: true,
      options: { durationSeconds: 20, rate: 5, seed: 42 },
    });
    // --for 0: until stopped, even in a script.
    expect(parseDemoArgs(['--for', '0'], false)).toMatchObject({
      ok: true,
      options: { durationSeconds: undefined },
    });
  });

  it('refuses what it does not understand, and answers --help', () => {
    expect(parseDemoArgs(['--help'], true)).toEqual({ ok: false, help: true });
    expect(parseDemoArgs(['--fro', '3'], true)).toMatchObject({ ok: false, error: 'unknown argument --fro' });
    expect(parseDemoArgs(['--for'], true)).toMatchObject({ ok: false, error: '--for needs a value' });
    expect(parseDemoArgs(['--for', 'soon'], true)).toMatchObject({ ok: false });
    expect(parseDemoArgs(['--rate', '0'], true)).toMatchObject({ ok: false });
    expect(parseDemoArgs(['--seed', '1.5'], true)).toMatchObject({ ok: false });
  });

  it('is interactive only on a terminal outside CI', () => {
    expect(isInteractive(true, {})).toBe(true);
    expect(isInteractive(true, { CI: 'true' })).toBe(false);
    expect(isInteractive(true, { CI: 'false' })).toBe(true);
    expect(isInteractive(undefined, {})).toBe(false);
  });
});
