import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EscalationEnvironment } from '../config/escalation-environment';
import { ReviewDesk } from './review-desk';
import { fireTimers } from './review-task';
import { ReviewTaskRepository } from './review-task.repository';

/** Most tasks handled per sweep, so one sweep never holds the service for long. */
const SWEEP_LIMIT = 100;

/**
 * Fires review timers and publishes events left behind. Due times live in the store, not in this process:
 * every instance sweeps, any instance may fire a due timer, and the task's version check lets only one of them
 * record it. After a restart the first sweep fires whatever fell due while the service was down.
 */
@Injectable()
export class ReviewClock implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReviewClock.name);
  private running?: Promise<void>;
  private stopped = false;
  private wake?: () => void;

  constructor(
    private readonly tasks: ReviewTaskRepository,
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
        await this.sweep(new Date());
      } catch (error) {
        // A store hiccup: the next sweep tries again.
        this.logger.warn({ message: 'review timer sweep failed; retrying', error: (error as Error).message });
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

  async sweep(now: Date): Promise<void> {
    for (const decisionId of await this.tasks.dueTimers(now, SWEEP_LIMIT)) {
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
    const graceMs = this.config.get('OUTBOX_GRACE_MS', { infer: true });
    for (const head of await this.tasks.unsettled(new Date(now.getTime() - graceMs), SWEEP_LIMIT)) {
      await this.desk.relay(head.decisionId, head.version, head.outbox, head.decided);
    }
  }
}
