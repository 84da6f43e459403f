import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { Actor } from '@oversight/contracts';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { personActing } from './person-acting';
import { ActivePolicy } from '@oversight/messaging-nest';
import { ResolutionDesk, ResolutionOutcome } from '../resolution/resolution-desk';
import { abandon, refusalFor, requestRetry, ResolveTask } from '../resolution/resolve-task';
import { ResolveTaskRepository } from '../resolution/resolve-task.repository';
import { QueueQueryParams } from './review-requests';
import { AbandonRequest, RetryRequest } from './resolve-requests';

/** A resolve task as its API shows it: the task, and whether the caller may resolve it (and if not, why). */
export type ResolveTaskView = ResolveTask & { youMay: { resolve: boolean; reason?: string } };

/**
 * The resolve API: approved actions that failed for good, for a person to correct and retry, or abandon. The
 * actor is the caller's verified identity; refusals answer 403 or 409 with a sentence saying why.
 */
@Controller('v1/resolve-tasks')
@Roles('reviewer', 'supervisor')
export class ResolveTasksController {
  constructor(
    private readonly desk: ResolutionDesk,
    private readonly tasks: ResolveTaskRepository,
    private readonly policy: ActivePolicy,
  ) {}

  /** Open failures the caller may resolve, the oldest first. */
  @Get()
  async list(
    @CurrentIdentity() identity: Identity,
    @Query() query: QueueQueryParams,
  ): Promise<ResolveTaskView[]> {
    const actor = personActing(identity, 'failed actions are resolved');
    const open = await this.tasks.open(query.function, 500);
    return open
      .map((task) => this.view(task, actor))
      .filter((view) => view.youMay.resolve || actor.roles.includes('supervisor'))
      .slice(0, query.limit ?? 100);
  }

  @Get(':decisionId')
  @Roles('reviewer', 'supervisor', 'auditor')
  async get(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
  ): Promise<ResolveTaskView> {
    const task = await this.desk.find(decisionId);
    if (!task)
      throw new NotFoundException(
        `no resolve task for decision ${decisionId}: its action has not failed for good`,
      );
    return this.view(task, personActing(identity, 'failed actions are resolved'));
  }

  @Post(':decisionId/retry')
  @HttpCode(200)
  async retry(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
    @Body() body: RetryRequest,
  ): Promise<ResolveTaskView & { resubmittedAs?: string }> {
    const actor = personActing(identity, 'failed actions are resolved');
    const outcome = await this.desk.change(decisionId, (task, now) =>
      task ? requestRetry(task, actor, body, this.policy.current(), now) : undefined,
    );
    const done = this.answer(decisionId, outcome);
    return {
      ...this.view(done.task, actor),
      ...(done.resubmittedAs ? { resubmittedAs: done.resubmittedAs } : {}),
    };
  }

  @Post(':decisionId/abandon')
  @HttpCode(200)
  async abandon(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
    @Body() body: AbandonRequest,
  ): Promise<ResolveTaskView> {
    const actor = personActing(identity, 'failed actions are resolved');
    const outcome = await this.desk.change(decisionId, (task, now) =>
      task ? abandon(task, actor, body.reasonCode, body.comment, this.policy.current(), now) : undefined,
    );
    return this.view(this.answer(decisionId, outcome).task, actor);
  }

  private view(task: ResolveTask, actor: Actor): ResolveTaskView {
    const refusal = refusalFor(task, actor, this.policy.current());
    return { ...task, youMay: refusal ? { resolve: false, reason: refusal.message } : { resolve: true } };
  }

  private answer(decisionId: string, outcome: ResolutionOutcome | undefined) {
    if (!outcome)
      throw new NotFoundException(
        `no resolve task for decision ${decisionId}: its action has not failed for good`,
      );
    if (outcome.ok) return outcome;
    const { kind, code, message } = outcome.refusal;
    if (kind === 'not-found') throw new NotFoundException(message);
    throw new HttpException({ message, code }, kind === 'forbidden' ? 403 : 409);
  }
}
