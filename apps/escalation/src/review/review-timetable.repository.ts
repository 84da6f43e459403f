import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { GapFreeLists, ListCollection } from '@oversight/persistence';
import { listingBucket, TIMER_BUCKET_MS, timerList, timerLists, timerPartition } from './review-timetable';
import { ReviewTimerEntry } from './review-timer.schema';

/** A bucket's entries read so far: the last seq read in each of its lists. */
export type BucketPosition = number[];

/** The review timers listed by the bucket they fall due in (see review-timetable.ts). */
@Injectable()
export class ReviewTimetable {
  private readonly lists: GapFreeLists<ReviewTimerEntry>;
  /**
   * Timers this instance listed that fall due before their bucket is read (most often: due at once, like an
   * SLA warning of a request that arrived late), fired at the clock's next pass. A shortcut only: the entries
   * are listed all the same.
   */
  private readonly soon = new Map<string, number>();

  constructor(@InjectModel(ReviewTimerEntry.name) entries: Model<ReviewTimerEntry>) {
    this.lists = new GapFreeLists(entries.collection as unknown as ListCollection<ReviewTimerEntry>);
  }

  /** Lists each timer under its bucket; written before the task, so a timer is never set without its entry. */
  async schedule(timers: { decisionId: string; at: Date }[], now = new Date()): Promise<void> {
    if (!timers.length) return;
    await this.lists.append(
      timers.map(({ decisionId, at }) => ({
        list: timerList(listingBucket(at, now), timerPartition(decisionId)),
        at,
        decisionId,
      })),
    );
    for (const { decisionId, at } of timers) {
      if (at.getTime() < now.getTime() + TIMER_BUCKET_MS) this.soon.set(decisionId, at.getTime());
    }
  }

  /** The decisions whose timer this instance listed and that are due at `now` (see `soon`), taken out. */
  takeDue(now: Date): string[] {
    const due = [...this.soon].filter(([, at]) => at <= now.getTime()).map(([decisionId]) => decisionId);
    for (const decisionId of due) this.soon.delete(decisionId);
    return due;
  }

  /** The decisions listed in a bucket after `position` (all of them when absent), and the position after. */
  async read(
    bucket: number,
    position?: BucketPosition,
  ): Promise<{ decisionIds: string[]; position: BucketPosition }> {
    const lists = timerLists(bucket);
    const read = await Promise.all(lists.map((list, i) => this.lists.entriesAfter(list, position?.[i] ?? 0)));
    return {
      decisionIds: [...new Set(read.flat().map((entry) => entry.decisionId))],
      position: read.map((entries, i) => entries.at(-1)?.seq ?? position?.[i] ?? 0),
    };
  }
}
