/** A user's recent failed sign-ins, as stored (one document per user, gone after a successful sign-in). */
export interface FailedSignIns {
  failures: number;
  lastFailureAt: Date;
  lockedUntil?: Date;
}

export interface LockoutPolicy {
  /** Failed sign-ins in a row that lock the user. */
  lockAfter: number;
  /** How long a lock lasts, and how long a failure is remembered. */
  lockForMs: number;
}

/** Until when the user may not sign in, or undefined when they may. */
export function lockedUntil(record: FailedSignIns | undefined, now: Date): Date | undefined {
  return record?.lockedUntil && record.lockedUntil > now ? record.lockedUntil : undefined;
}

/**
 * Whether the record is over and a new failure starts counting from one: its lock has run out, or it has no
 * lock and its last failure is older than a lock would last (a typo a week ago does not count today).
 */
export function isSpent(record: FailedSignIns, now: Date, policy: LockoutPolicy): boolean {
  if (record.lockedUntil) return record.lockedUntil <= now;
  return now.getTime() - record.lastFailureAt.getTime() >= policy.lockForMs;
}

/** The lock a failure count earns: the user is locked from now on once failures reach the policy's number. */
export function lockEarned(failures: number, now: Date, policy: LockoutPolicy): Date | undefined {
  return failures >= policy.lockAfter ? new Date(now.getTime() + policy.lockForMs) : undefined;
}
