/**
 * Where review timers are listed so that finding the due ones never scans: a timer set on a task is an entry in
 * the gap-free lists of the 1-second bucket it falls due in (`timers:<bucket start>:<partition>`), and the clock
 * reads each bucket's lists once the bucket has passed, by exact `_id`. The head's `nextTimerAt` stays the truth:
 * an entry only says "look at this task then", so a stale one (the timer moved, the task was decided) costs one
 * read and fires nothing.
 */

/** A bucket's length: timers fire at most this much (plus TIMER_SETTLE_MS) after they fall due. */
export const TIMER_BUCKET_MS = 1_000;
/** Lists per bucket, so concurrent writers (several instances) rarely extend the same one. */
export const TIMER_PARTITIONS = 4;
/** A bucket is read this long after it ends, so appends in flight when it ended have landed. */
export const TIMER_SETTLE_MS = 1_000;
/** Each bucket is read a second time this long after it ends, for an append slower than TIMER_SETTLE_MS. */
export const TIMER_RECHECK_MS = 60_000;

/** The start (ms) of the bucket `at` falls in. */
export function bucketOf(at: number): number {
  return at - (((at % TIMER_BUCKET_MS) + TIMER_BUCKET_MS) % TIMER_BUCKET_MS);
}

/**
 * The bucket a timer due at `dueAt` is listed in when set at `now`: its own, but never the bucket `now` is in or
 * an earlier one, which the clock may already have read; a timer already due is listed in the next bucket.
 */
export function listingBucket(dueAt: Date, now: Date): number {
  return Math.max(bucketOf(dueAt.getTime()), bucketOf(now.getTime()) + TIMER_BUCKET_MS);
}

/** A task's partition: a stable hash of its decisionId. */
export function timerPartition(decisionId: string): number {
  let hash = 0;
  for (let i = 0; i < decisionId.length; i++) hash = (hash * 31 + decisionId.charCodeAt(i)) | 0;
  return Math.abs(hash) % TIMER_PARTITIONS;
}

export function timerList(bucket: number, partition: number): string {
  return `timers:${new Date(bucket).toISOString()}:${partition}`;
}

/** The lists of one bucket, partition 0 first. */
export function timerLists(bucket: number): string[] {
  return Array.from({ length: TIMER_PARTITIONS }, (_, partition) => timerList(bucket, partition));
}

/** What the clock reads at a pass: buckets read for the first time, and buckets read again from a position. */
export interface TimetableReads<P> {
  first: number[];
  again: { bucket: number; position: P }[];
}

/**
 * The clock's walk through the buckets: which to read at each pass. Kept in memory; after a restart the walk
 * starts at the current bucket, and one scan of the open tasks fires what fell due before (see ReviewClock).
 * `P` is how far a bucket was read, kept for its second read.
 */
export class TimetableWalk<P> {
  private next: number;
  private readonly rereads = new Map<number, P>();

  constructor(startAt: number) {
    this.next = bucketOf(startAt);
  }

  /** The buckets to read at `now`, oldest first. Report each read as done, so a failed one is tried again. */
  due(now: number): TimetableReads<P> {
    const first: number[] = [];
    for (
      let bucket = this.next;
      bucket + TIMER_BUCKET_MS + TIMER_SETTLE_MS <= now;
      bucket += TIMER_BUCKET_MS
    ) {
      first.push(bucket);
    }
    const again = [...this.rereads]
      .filter(([bucket]) => bucket + TIMER_BUCKET_MS + TIMER_RECHECK_MS <= now)
      .map(([bucket, position]) => ({ bucket, position }));
    return { first, again };
  }

  /** A first read finished, as far as `position`: the walk moves past the bucket and will read it again. */
  firstDone(bucket: number, position: P): void {
    if (bucket !== this.next) throw new Error(`bucket ${bucket} read out of turn (next is ${this.next})`);
    this.next += TIMER_BUCKET_MS;
    this.rereads.set(bucket, position);
  }

  /** A second read finished: the bucket is done with. */
  againDone(bucket: number): void {
    this.rereads.delete(bucket);
  }
}
