import {
  bucketOf,
  listingBucket,
  TIMER_BUCKET_MS,
  TIMER_PARTITIONS,
  TIMER_RECHECK_MS,
  TIMER_SETTLE_MS,
  timerLists,
  timerPartition,
  TimetableWalk,
} from './review-timetable';

const t0 = Date.parse('2026-12-02T10:00:00.000Z');
const at = (ms: number) => new Date(t0 + ms);

describe('listing a timer in the timetable', () => {
  const B = TIMER_BUCKET_MS;
  it.each([
    ['due later in a later bucket: its own bucket', 12.3 * B, 0.2 * B, 12 * B],
    ['due at the start of a bucket: that bucket', 12 * B, 0.2 * B, 12 * B],
    ['due later in the current bucket: the next one', 0.8 * B, 0.2 * B, B],
    ['due in the next bucket: that one', 1.4 * B, 0.2 * B, B],
    ['already due: the next bucket, never one the clock may have read', -6 * B, 0.2 * B, B],
    ['set on a bucket boundary and due at once: the next bucket', B, B, 2 * B],
  ])('%s', (_case, dueMs, nowMs, bucketMs) => {
    expect(listingBucket(at(dueMs), at(nowMs))).toBe(t0 + bucketMs);
  });

  it('puts every instant in the bucket that starts at or before it', () => {
    for (const ms of [0, 1, TIMER_BUCKET_MS - 1, TIMER_BUCKET_MS, 123_456]) {
      const bucket = bucketOf(t0 + ms);
      expect(bucket).toBeLessThanOrEqual(t0 + ms);
      expect(t0 + ms - bucket).toBeLessThan(TIMER_BUCKET_MS);
      expect((bucket - t0) % TIMER_BUCKET_MS).toBe(0);
    }
  });

  it('spreads tasks over the partitions, the same task always to the same one', () => {
    const partitions = Array.from({ length: 400 }, (_, i) => timerPartition(`dec-${i}`));
    expect(new Set(partitions).size).toBe(TIMER_PARTITIONS);
    expect(timerPartition('dec-7')).toBe(partitions[7]);
    expect(timerLists(t0)).toEqual(
      Array.from({ length: TIMER_PARTITIONS }, (_, p) => `timers:2026-12-02T10:00:00.000Z:${p}`),
    );
  });
});

describe("the clock's walk through the timetable", () => {
  const settled = TIMER_BUCKET_MS + TIMER_SETTLE_MS;

  it('reads a bucket only once it has ended and settled, then moves on', () => {
    const walk = new TimetableWalk<number>(t0 + TIMER_BUCKET_MS / 5);
    expect(walk.due(t0 + settled - 1).first).toEqual([]);
    expect(walk.due(t0 + settled).first).toEqual([t0]);
    walk.firstDone(t0, 3);
    expect(walk.due(t0 + settled).first).toEqual([]);
  });

  it('catches up bucket by bucket after a long pass, oldest first', () => {
    const walk = new TimetableWalk<number>(t0);
    expect(walk.due(t0 + 3 * TIMER_BUCKET_MS + TIMER_SETTLE_MS).first).toEqual([
      t0,
      t0 + TIMER_BUCKET_MS,
      t0 + 2 * TIMER_BUCKET_MS,
    ]);
  });

  it('keeps a bucket whose read failed, and refuses a read out of turn', () => {
    const walk = new TimetableWalk<number>(t0);
    expect(walk.due(t0 + settled).first).toEqual([t0]);
    // Not reported done (the read failed): offered again.
    expect(walk.due(t0 + settled + 1).first).toEqual([t0]);
    expect(() => walk.firstDone(t0 + TIMER_BUCKET_MS, 0)).toThrow(/out of turn/);
  });

  it('reads each bucket a second time, from where the first read stopped, once', () => {
    const walk = new TimetableWalk<number>(t0);
    walk.firstDone(t0, 7);
    const recheckAt = t0 + TIMER_BUCKET_MS + TIMER_RECHECK_MS;
    expect(walk.due(recheckAt - 1).again).toEqual([]);
    expect(walk.due(recheckAt).again).toEqual([{ bucket: t0, position: 7 }]);
    walk.againDone(t0);
    expect(walk.due(recheckAt + 10_000).again).toEqual([]);
  });
});
