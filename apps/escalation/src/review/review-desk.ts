import { Injectable, Logger } from '@nestjs/common';
import { newEvent, PlatformEvent, Topic } from '@oversight/contracts';
import { EventPublisher, OutgoingEvent } from '@oversight/messaging';
import { Acted, ActResult, isDecided, Refusal, ReviewTask } from './review-task';
import { actMetricsOf } from './review-metrics';
import { ReviewQueueMetrics } from './review-queue-metrics';
import { ReviewTaskRepository } from './review-task.repository';

export type DeskResult =
  | { ok: true; task: ReviewTask }
  | { ok: false; refusal: Refusal | { kind: 'not-found'; code: 'not-found'; message: string } };

/** How often an act is retried when another write to the same task came first. */
const MAX_ATTEMPTS = 8;

/**
 * Applies acts to review tasks: reads the task, lets the pure rules decide, writes the next version only if
 * nobody else wrote it first (and tries again on the fresh task if someone did), then publishes what happened.
 * Two approvals arriving at once are thus serialised by the store, and the task can be approved only once.
 */
@Injectable()
export class ReviewDesk {
  private readonly logger = new Logger(ReviewDesk.name);
  /**
   * Relays that failed here, tried again at the clock's next pass. Only a shortcut: the outbox is in the store,
   * and the clock's scan publishes it whatever this process remembers.
   */
  private readonly unpublished = new Map<
    string,
    { version: number; outbox: OutgoingEvent[]; decided: boolean }
  >();

  constructor(
    private readonly tasks: ReviewTaskRepository,
    private readonly publisher: EventPublisher,
    private readonly metrics: ReviewQueueMetrics,
  ) {}

  async find(decisionId: string): Promise<ReviewTask | undefined> {
    return (await this.tasks.find(decisionId))?.task;
  }

  async act(decisionId: string, attempt: (task: ReviewTask, now: Date) => Acted): Promise<DeskResult> {
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const stored = await this.tasks.find(decisionId);
      if (!stored) {
        return {
          ok: false,
          refusal: {
            kind: 'not-found',
            code: 'not-found',
            message: `no review task for decision ${decisionId}`,
          },
        };
      }
      const acted = attempt(stored.task, new Date());
      if (!acted.ok) return acted;
      const events = eventsOf(stored.task, acted.result);
      const outbox = [...stored.outbox, ...events];
      if (await this.tasks.write(acted.result.task, outbox, events, stored.task.nextTimerAt)) {
        this.metrics.recordAct(actMetricsOf(stored.task, acted.result.task, acted.result.activities));
        await this.relay(decisionId, acted.result.task.version, outbox, isDecided(acted.result.task));
        return { ok: true, task: acted.result.task };
      }
    }
    throw new Error(`review task ${decisionId} kept changing under ${MAX_ATTEMPTS} attempts; try again`);
  }

  /** Relays again what failed to publish here (see `unpublished`). */
  async retryUnpublished(): Promise<void> {
    for (const [decisionId, { version, outbox, decided }] of [...this.unpublished]) {
      await this.relay(decisionId, version, outbox, decided);
    }
  }

  /**
   * Publishes a task's pending events and empties its outbox, then closes the task if it is decided. Safe to
   * repeat: the events keep their ids, so consumers recognise a second copy; if the publish fails, the clock
   * publishes them later (and closes the task).
   */
  async relay(decisionId: string, version: number, outbox: OutgoingEvent[], decided: boolean): Promise<void> {
    try {
      if (outbox.length) {
        await this.publisher.publishAll(outbox);
        await this.tasks.clearOutbox(decisionId, version);
      }
      if (decided) await this.tasks.close(decisionId, version);
      this.unpublished.delete(decisionId);
    } catch (error) {
      this.unpublished.set(decisionId, { version, outbox, decided });
      this.logger.warn({
        message: 'review events not published yet; the review clock will retry',
        decisionId,
        error: (error as Error).message,
      });
    }
  }
}

/**
 * The events an accepted act publishes: its activities, then its outcome. The outcome's id derives from the
 * review request, so whichever write decided the task, a decision has one ActionApproved or DecisionRejected id.
 */
export function eventsOf(before: ReviewTask, result: ActResult): OutgoingEvent[] {
  const fields = {
    decisionId: before.decisionId,
    producer: 'escalation',
    correlationId: before.correlationId,
  };
  const events: OutgoingEvent[] = result.activities.map((payload) => ({
    topic: Topic.ReviewActivity,
    event: newEvent('ReviewActivity', { ...fields, payload }),
  }));
  const { outcome } = result;
  if (!outcome) return events;
  const causedBy = { eventId: before.requestEventId, correlationId: before.correlationId };
  const trace = before.trace ? { trace: before.trace } : {};
  if (outcome.type === 'ActionApproved') {
    events.push({
      ...trace,
      topic: Topic.ActionApproved,
      event: newEvent('ActionApproved', {
        ...fields,
        causedBy,
        payload: outcome.payload,
      }) as PlatformEvent<'ActionApproved'> & { decisionId: string },
    });
  } else {
    events.push({
      ...trace,
      topic: Topic.DecisionRejected,
      event: newEvent('DecisionRejected', {
        ...fields,
        causedBy,
        payload: outcome.payload,
      }) as PlatformEvent<'DecisionRejected'> & { decisionId: string },
    });
  }
  return events;
}
