import { AttemptRecord, nextStep, NextStep } from './execution-plan';

const executed = { kind: 'executed' } as const;
const failed = (willRetry: boolean) => ({ kind: 'failed', willRetry }) as const;

describe('nextStep', () => {
  const cases: [string, AttemptRecord[], boolean, NextStep][] = [
    ['first delivery', [], false, { kind: 'execute', attempt: 1 }],
    ['redelivered after it was carried out', [{ attempt: 1, outcome: executed }], false, { kind: 'done' }],
    [
      'redelivered after a failure handed to people',
      [{ attempt: 1, outcome: failed(false) }],
      false,
      { kind: 'done' },
    ],
    [
      'restarted while waiting to retry',
      [{ attempt: 1, outcome: failed(true) }],
      false,
      { kind: 'execute', attempt: 2 },
    ],
    [
      'retried, then carried out',
      [
        { attempt: 1, outcome: failed(true) },
        { attempt: 2, outcome: executed },
      ],
      false,
      { kind: 'done' },
    ],
    ['died inside execute, target not idempotent', [{ attempt: 1 }], false, { kind: 'in-doubt', attempt: 1 }],
    ['died inside execute, idempotent target', [{ attempt: 1 }], true, { kind: 'execute', attempt: 1 }],
    [
      'died inside the second try',
      [{ attempt: 1, outcome: failed(true) }, { attempt: 2 }],
      false,
      { kind: 'in-doubt', attempt: 2 },
    ],
  ];

  it.each(cases)('%s', (_name, records, idempotent, expected) => {
    expect(nextStep(records, { idempotent })).toEqual(expected);
  });

  const retryCases: [string, AttemptRecord[], number, NextStep][] = [
    [
      'a person retries after a failure for good',
      [{ attempt: 1, outcome: failed(false) }],
      2,
      { kind: 'execute', attempt: 2 },
    ],
    [
      'the retry is delivered again after it ran',
      [
        { attempt: 1, outcome: failed(false) },
        { attempt: 2, outcome: executed },
      ],
      2,
      { kind: 'done' },
    ],
    [
      'the retried try died inside execute',
      [{ attempt: 1, outcome: failed(false) }, { attempt: 2 }],
      2,
      { kind: 'in-doubt', attempt: 2 },
    ],
    [
      'a retry while the executor still retries on its own',
      [{ attempt: 1, outcome: failed(true) }],
      2,
      { kind: 'done' },
    ],
    ['a retry of an action carried out', [{ attempt: 1, outcome: executed }], 2, { kind: 'done' }],
    ['a retry that skips a try', [{ attempt: 1, outcome: failed(false) }], 3, { kind: 'done' }],
  ];

  it.each(retryCases)('%s', (_name, records, requestedAttempt, expected) => {
    expect(nextStep(records, { idempotent: false, requestedAttempt })).toEqual(expected);
  });
});
