import { FailedSignIns, isSpent, lockEarned, lockedUntil, LockoutPolicy } from './sign-in-lockout';

const policy: LockoutPolicy = { lockAfter: 5, lockForMs: 15 * 60_000 };
const now = new Date('2026-12-02T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const minutesOn = (m: number) => new Date(now.getTime() + m * 60_000);

describe('sign-in lockout', () => {
  it.each<[string, FailedSignIns | undefined, Date | undefined]>([
    ['no failures', undefined, undefined],
    ['failures without a lock', { failures: 4, lastFailureAt: minutesAgo(1) }, undefined],
    [
      'a lock still running',
      { failures: 5, lastFailureAt: minutesAgo(1), lockedUntil: minutesOn(14) },
      minutesOn(14),
    ],
    [
      'a lock that ran out',
      { failures: 5, lastFailureAt: minutesAgo(16), lockedUntil: minutesAgo(1) },
      undefined,
    ],
    [
      'a lock ending this instant',
      { failures: 5, lastFailureAt: minutesAgo(15), lockedUntil: now },
      undefined,
    ],
  ])('locked until: %s', (_name, record, expected) => {
    expect(lockedUntil(record, now)).toEqual(expected);
  });

  it.each<[string, FailedSignIns, boolean]>([
    ['a recent failure counts', { failures: 2, lastFailureAt: minutesAgo(3) }, false],
    ['a failure older than a lock is forgotten', { failures: 4, lastFailureAt: minutesAgo(15) }, true],
    [
      'a running lock is not over',
      { failures: 5, lastFailureAt: minutesAgo(20), lockedUntil: minutesOn(1) },
      false,
    ],
    [
      'a lock that ran out starts afresh',
      { failures: 5, lastFailureAt: minutesAgo(16), lockedUntil: minutesAgo(1) },
      true,
    ],
  ])('spent: %s', (_name, record, expected) => {
    expect(isSpent(record, now, policy)).toBe(expected);
  });

  it.each<[number, Date | undefined]>([
    [1, undefined],
    [4, undefined],
    [5, minutesOn(15)],
    [7, minutesOn(15)],
  ])('%i failures earn a lock until %s', (failures, expected) => {
    expect(lockEarned(failures, now, policy)).toEqual(expected);
  });
});
