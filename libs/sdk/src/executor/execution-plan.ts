/** What the durable records hold about one try of one decision's action by one executor. */
export interface AttemptRecord {
  attempt: number;
  /** Stored once the try ended: what happened, and whether the executor meant to try again. */
  outcome?: { kind: 'executed' } | { kind: 'failed'; willRetry: boolean };
}

/** What an executor does when an approved action reaches it, given the records of earlier tries. */
export type NextStep =
  /** Run the action as this try. A try run again keeps its number, and so its idempotency key. */
  | { kind: 'execute'; attempt: number }
  /** The last try's report is final (carried out, or handed to people): nothing to run. */
  | { kind: 'done' }
  /**
   * A try started and never recorded an end (the process died inside `execute`), and the target cannot
   * recognise a repeat: whether it happened is unknown, so a person must check rather than risk running it twice.
   */
  | { kind: 'in-doubt'; attempt: number };

export interface PlanOptions {
  /** The target system honours the idempotency key, so a try in doubt may be run again with the same key. */
  idempotent: boolean;
  /** Set when a person asked for this try after a failure for good (ExecutionRetryRequested). */
  requestedAttempt?: number;
}

/**
 * Decides the next step from the tries recorded so far (in attempt order). This is what makes `execute` run at
 * most once per try across redeliveries, restarts and rebalances.
 */
export function nextStep(records: readonly AttemptRecord[], options: PlanOptions): NextStep {
  const last = records[records.length - 1];
  const requested = options.requestedAttempt;
  if (requested !== undefined && (!last || last.attempt < requested)) {
    // A person's retry runs only right after a failure handed to people; anything else is stale or early.
    const handedOver =
      last?.attempt === requested - 1 && last.outcome?.kind === 'failed' && !last.outcome.willRetry;
    return handedOver ? { kind: 'execute', attempt: requested } : { kind: 'done' };
  }
  if (!last) return { kind: 'execute', attempt: 1 };
  const { outcome } = last;
  if (!outcome) {
    return options.idempotent
      ? { kind: 'execute', attempt: last.attempt }
      : { kind: 'in-doubt', attempt: last.attempt };
  }
  if (outcome.kind === 'failed' && outcome.willRetry) return { kind: 'execute', attempt: last.attempt + 1 };
  return { kind: 'done' };
}
