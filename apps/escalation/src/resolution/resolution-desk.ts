import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventPublisher, OutgoingEvent } from '@oversight/messaging';
import { ResolveResult, ResolveTask } from './resolve-task';
import { ResolveTaskRepository } from './resolve-task.repository';

export type ResolutionOutcome =
  | Extract<ResolveResult, { ok: true }>
  | Extract<ResolveResult, { ok: false }>
  | { ok: false; refusal: { kind: 'not-found'; code: 'not-found'; message: string } };

/** How often a change is decided again when another write to the same task came first. */
const MAX_ATTEMPTS = 8;
/** How often the desk looks for events written and not yet published. */
const RELAY_INTERVAL_MS = 5_000;

/**
 * Applies changes to resolve tasks: reads the task, lets the pure rules decide, writes the new version with its
 * events only if nobody wrote first, then publishes them and closes a settled task. Events a crash left
 * unpublished, and settled tasks it left open, are found by a sweep of the open tasks (any instance may run
 * it), never by a timer held in memory.
 */
@Injectable()
export class ResolutionDesk implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ResolutionDesk.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly tasks: ResolveTaskRepository,
    private readonly publisher: EventPublisher,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.relayPending(), RELAY_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  find(decisionId: string): Promise<ResolveTask | undefined> {
    return this.tasks.find(decisionId).then((stored) => stored?.task);
  }

  /** Decides a change on the latest task and writes it; an undefined decision leaves the task as it is. */
  async change(
    decisionId: string,
    decide: (task: ResolveTask | undefined, now: Date) => ResolveResult | undefined,
  ): Promise<ResolutionOutcome | undefined> {
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const stored = await this.tasks.find(decisionId);
      const result = decide(stored?.task, new Date());
      if (!result || !result.ok) return result;
      const pending = [...(stored?.pending ?? []), ...result.events];
      if (await this.tasks.write(result.task, pending)) {
        await this.relay(result.task, pending);
        return result;
      }
    }
    throw new Error(`resolve task ${decisionId}: ${MAX_ATTEMPTS} writes in a row lost to other writers`);
  }

  /** Publishes the task's pending events, then closes it if it is settled. */
  private async relay(task: ResolveTask, pending: OutgoingEvent[]): Promise<void> {
    if (pending.length) {
      await this.publisher.publishAll(pending);
      await this.tasks.published(task.decisionId, task.version);
    }
    await this.tasks.close(task.decisionId);
  }

  private async relayPending(): Promise<void> {
    try {
      for (const decisionId of await this.tasks.unsettled(50)) {
        const stored = await this.tasks.find(decisionId);
        if (stored) await this.relay(stored.task, stored.pending);
      }
    } catch (error) {
      this.logger.warn({
        message: 'publishing pending resolve events failed; retrying',
        error: (error as Error).message,
      });
    }
  }
}
