import { appendDelaysOf } from './audit-metrics';

describe('appendDelaysOf', () => {
  it('measures from each event time to the append, never below zero, skipping unreadable times', () => {
    const storedAt = new Date('2026-01-01T10:00:10Z');
    expect(appendDelaysOf(['2026-01-01T10:00:00Z', '2026-01-01T10:00:20Z', 'not a time'], storedAt)).toEqual([
      10, 0,
    ]);
  });
});
