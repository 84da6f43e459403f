/**
 * Thrown by an executor's `execute` to say how a try failed: retryable failures (a timeout, the target briefly
 * down) are tried again with backoff; the others, and the last retryable one, go to people to resolve, with
 * `context` as what they see. Any other error is reported as `unexpected-error`, not retryable.
 */
export class ExecutionFailure extends Error {
  readonly code?: string;
  readonly retryable: boolean;
  readonly context: Record<string, unknown>;

  constructor(
    message: string,
    details: { code?: string; retryable?: boolean; context?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'ExecutionFailure';
    this.code = details.code;
    this.retryable = details.retryable ?? false;
    this.context = details.context ?? {};
  }

  /** The error as a failure: itself when it is one, else `unexpected-error`, not retryable. */
  static from(error: unknown): ExecutionFailure {
    if (error instanceof ExecutionFailure) return error;
    return new ExecutionFailure((error as Error)?.message || String(error), { code: 'unexpected-error' });
  }
}
