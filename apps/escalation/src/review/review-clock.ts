import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EscalationEnvironment } from '../config/escalation-environment';
import { ReviewDesk } from './review-desk';
import { fireTimers } from './review-task';
import { ReviewTaskRepository } from './review-task.repository';
import { TimetableWalk } from './review-timetable';
import { BucketPosition, ReviewTimetable } from './review-timetable.repository';

/** Tasks read per query of a scan; a scan repeats it until fewer come back (at most SCAN_ROUNDS times). */
const SCAN_LIMIT = 100;
const SCAN_ROUNDS = 50;

/**
 * Fires review timers and publishes events left behind. Due times live in the store, not in this process: each
 * timer is listed in the timetable under the 1-second bucket it falls due in, and every pass reads the buckets
 * that have passed, by exact `_id` (see review-timetable.ts), so the cost of a pass does not grow with the open
 * tasks. Every instance walks the timetable; any instance may fire a due timer, and the task's version check
 * lets only one of them record it. At start, and every REVIEW_RESCAN_MS, one scan of the open tasks fires what
 * fell due while no instance was walking; at start and every OUTBOX_RESCAN_MS another publishes what a writer
 * left in an outbox past its grace.
 */
@Injectable()
export class ReviewClock implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReviewClock.name);
  private running?: Promise<void>;
  private stopped = false;
  private wake?: () => void;
  private walk?: TimetableWalk<BucketPosition>;
  private nextScanAt = 0;
  private nextOutboxScanAt = 0;

  constructor(
    private readonly tasks: ReviewTaskRepository,
    private readonly timetable: ReviewTimetable,
    private readonly desk: ReviewDesk,
    private readonly config: ConfigService<EscalationEnvironment, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    const pollMs = this.config.get('TIMER_POLL_MS', { infer: true });
    while (!this.stopped) {
      try {
        await this.tick(new Date());
      } catch (error) {
        // A store hiccup: the next pass tries again from where this one stopped.
        this.logger.warn({ message: 'review timer pass failed; retrying', error: (error as Error).message });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** One pass: a scan when one is due, the timetable's passed buckets, then events a failed publish left. */
  async tick(now: Date): Promise<void> {
    if (now.getTime() >= this.nextScanAt) {
      // The walk starts only once a scan has fired everything due before it.
      const startAt = now.getTime();
      await this.scanTimers(now);
      this.walk ??= new TimetableWalk(startAt);
      this.nextScanAt = startAt + this.config.get('REVIEW_RESCAN_MS', { infer: true });
    }
    if (now.getTime() >= this.nextOutboxScanAt) {
      await this.scanOutboxes(now);
      this.nextOutboxScanAt = now.getTime() + this.config.get('OUTBOX_RESCAN_MS', { infer: true });
    }
    await this.fire(this.timetable.takeDue(now));
    await this.walkTimetable(now);
    await this.desk.retryUnpublished();
  }

  private async walkTimetable(now: Date): Promise<void> {
    const walk = this.walk;
    if (!walk) return;
    const { first, again } = walk.due(now.getTime());
    for (const bucket of first) {
      const read = await this.timetable.read(bucket);
      await this.fire(read.decisionIds);
      walk.firstDone(bucket, read.position);
    }
    for (const { bucket, position } of again) {
      const read = await this.timetable.read(bucket, position);
      if (read.decisionIds.length) {
        this.logger.log({
          message: 'timers listed late found on a second read',
          count: read.decisionIds.length,
        });
      }
      await this.fire(read.decisionIds);
      walk.againDone(bucket);
    }
  }

  /** The open tasks with a timer due: a scan, bounded by open work, so rare. */
  private async scanTimers(now: Date): Promise<void> {
    for (let round = 0; round < SCAN_ROUNDS; round++) {
      const due = await this.tasks.dueTimers(now, SCAN_LIMIT);
      await this.fire(due);
      if (due.length < SCAN_LIMIT) break;
    }
  }

  /**
   * The open tasks whose outbox outlived its grace: a writer stopped, or its publish never came back (seen in
   * `npm run chaos`: an approval written just after a restart stayed unpublished until the next 5-minute scan).
   */
  private async scanOutboxes(now: Date): Promise<void> {
    const graceMs = this.config.get('OUTBOX_GRACE_MS', { infer: true });
    for (let round = 0; round < SCAN_ROUNDS; round++) {
      const unsettled = await this.tasks.unsettled(new Date(now.getTime() - graceMs), SCAN_LIMIT);
      for (const head of unsettled) {
        await this.desk.relay(head.decisionId, head.version, head.outbox, head.decided);
      }
      if (unsettled.length < SCAN_LIMIT) break;
    }
  }

  /** Fires the timers of these tasks that are due; a task with none due (moved, or decided) is left as it is. */
  private async fire(decisionIds: string[]): Promise<void> {
    for (const decisionId of decisionIds) {
      const result = await this.desk.act(decisionId, (task, at) => fireTimers(task, at));
      if (result.ok) {
        this.logger.log({
          message: 'review timer fired',
          decisionId,
          status: result.task.status,
          escalationLevel: result.task.escalationLevel,
        });
      }
    }
  }
}
