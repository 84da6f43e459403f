import { isTransientError, PermanentFailure } from './event-consumer';

describe('isTransientError: what is waited out rather than dead-lettered', () => {
  it.each<[string, unknown, boolean]>([
    [
      'the store unreachable',
      Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoNetworkError' }),
      true,
    ],
    [
      'no server selected',
      Object.assign(new Error('timed out'), { name: 'MongoServerSelectionError' }),
      true,
    ],
    [
      'a retriable kafkajs error',
      Object.assign(new Error('leader not available'), { retriable: true }),
      true,
    ],
    [
      "FerretDB's SQLite writer lock",
      Object.assign(new Error('[collection.go:191] database is locked (5) (SQLITE_BUSY)'), {
        name: 'MongoServerError',
        code: 1,
      }),
      true,
    ],
    [
      'a validation error',
      Object.assign(new Error('amount: must be positive'), { name: 'ValidationError' }),
      false,
    ],
    ['a permanent failure', new PermanentFailure('rejected'), false],
    ['a bug', new TypeError("cannot read properties of undefined (reading 'x')"), false],
    ['not an error at all', undefined, false],
  ])('%s → %s', (_name, error, transient) => {
    expect(isTransientError(error)).toBe(transient);
  });
});
