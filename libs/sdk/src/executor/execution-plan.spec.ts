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
});
