/**
 * The one place a run learns that it must stop: a service died, the user pressed Ctrl-C. Every waiting loop
 * calls `check()`, so the run ends within a poll interval and its clean-up still runs.
 */
export class RunGuard {
  private failure?: Error;

  fail(error: Error): void {
    this.failure ??= error;
  }

  check(): void {
    if (this.failure) throw this.failure;
  }
}

/** A run that cannot produce trustworthy figures: lost decisions, a stalled stage, a crashed service. */
export class BenchFailure extends Error {
  constructor(
    message: string,
    /** Lines that say exactly what went missing and where it got stuck. */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}
