import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  HttpException,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Actor, DecisionProposed } from '@oversight/contracts';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { personActing } from './person-acting';
import { ActivePolicy } from '@oversight/messaging-nest';
import { EscalationEnvironment } from '../config/escalation-environment';
import { activeDelegation, actingFor } from '../delegation/delegation';
import { DelegationRepository } from '../delegation/delegation.repository';
import { assessEdit } from '../review/edit-assessment';
import { DeskResult, ReviewDesk } from '../review/review-desk';
import {
  approve,
  claim,
  comment,
  editAndApprove,
  escalateNow,
  reassign,
  reject,
  release,
  ReviewTask,
} from '../review/review-task';
import { ReviewTaskRepository } from '../review/review-task.repository';
import { ReviewTaskView, viewOf } from '../review/review-view';
import {
  ApproveRequest,
  CommentRequest,
  EditRequest,
  EscalateRequest,
  OnBehalfQuery,
  QueueQueryParams,
  ReassignRequest,
  RejectRequest,
} from './review-requests';

/**
 * The review API: a reviewer's queue and the acts on one task. The actor is always the caller's verified
 * identity; a refused act answers 403 (may not act here at all), 404 (no such task) or 409 (not now, not so)
 * with a sentence saying why.
 */
@Controller('v1/review-tasks')
@Roles('reviewer', 'supervisor')
export class ReviewTasksController {
  private readonly leaseMs: number;

  constructor(
    private readonly desk: ReviewDesk,
    private readonly tasks: ReviewTaskRepository,
    private readonly policy: ActivePolicy,
    private readonly delegations: DelegationRepository,
    config: ConfigService<EscalationEnvironment, true>,
  ) {
    this.leaseMs = config.get('CLAIM_LEASE_MINUTES', { infer: true }) * 60_000;
  }

  /** Undecided tasks the caller's roles may act on, the nearest SLA first; a supervisor sees every one. */
  @Get()
  async queue(
    @CurrentIdentity() identity: Identity,
    @Query() query: QueueQueryParams,
  ): Promise<ReviewTaskView[]> {
    const actor = personActing(identity, 'review acts are made');
    const roles = identity.roles.includes('supervisor') ? undefined : identity.roles;
    const tasks = await this.tasks.queue({
      roles,
      businessFunction: query.function,
      limit: query.limit ?? 100,
    });
    const now = new Date();
    return tasks.map((task) => viewOf(task, actor, now, this.leaseMs));
  }

  @Get(':decisionId')
  @Roles('reviewer', 'supervisor', 'auditor')
  async get(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
  ): Promise<ReviewTaskView> {
    const task = await this.desk.find(decisionId);
    if (!task) throw new NotFoundException(`no review task for decision ${decisionId}`);
    return viewOf(task, personActing(identity, 'review acts are made'), new Date(), this.leaseMs);
  }

  @Post(':decisionId/claim')
  @HttpCode(200)
  claim(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
    @Query() behalf: OnBehalfQuery,
  ) {
    return this.act(identity, behalf, decisionId, (task, actor, now) =>
      claim(task, actor, now, this.leaseMs),
    );
  }

  @Post(':decisionId/release')
  @HttpCode(200)
  release(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
    @Query() behalf: OnBehalfQuery,
  ) {
    return this.act(identity, behalf, decisionId, (task, actor, now) => release(task, actor, now));
  }

  @Post(':decisionId/approve')
  @HttpCode(200)
  approve(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
    @Query() behalf: OnBehalfQuery,
    @Body() body: ApproveRequest,
  ) {
    return this.act(identity, behalf, decisionId, (task, actor, now) =>
      approve(task, actor, now, body.comment),
    );
  }

  @Post(':decisionId/reject')
  @HttpCode(200)
  reject(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
    @Query() behalf: OnBehalfQuery,
    @Body() body: RejectRequest,
  ) {
    return this.act(identity, behalf, decisionId, (task, actor, now) =>
      reject(task, actor, now, body.reasonCode, body.comment),
    );
  }

  /** Edit-then-approve: the edited action is scored again under the policy in force before it counts. */
  @Post(':decisionId/edit')
  @HttpCode(200)
  edit(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
    @Query() behalf: OnBehalfQuery,
    @Body() body: EditRequest,
  ) {
    return this.act(identity, behalf, decisionId, (task, actor, now) => {
      const edited: DecisionProposed = {
        ...task.proposal,
        parameters: body.parameters,
        ...(body.amount ? { amount: body.amount } : {}),
      };
      const assessment = assessEdit(task, edited, this.policy.current());
      return editAndApprove(task, actor, now, body, assessment);
    });
  }

  @Post(':decisionId/comment')
  @HttpCode(200)
  comment(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
    @Query() behalf: OnBehalfQuery,
    @Body() body: CommentRequest,
  ) {
    return this.act(identity, behalf, decisionId, (task, actor) => comment(task, actor, body.text));
  }

  @Post(':decisionId/escalate')
  @HttpCode(200)
  escalate(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
    @Query() behalf: OnBehalfQuery,
    @Body() body: EscalateRequest,
  ) {
    return this.act(identity, behalf, decisionId, (task, actor, now) =>
      escalateNow(task, actor, now, body.comment),
    );
  }

  @Post(':decisionId/reassign')
  @HttpCode(200)
  @Roles('supervisor')
  reassign(
    @CurrentIdentity() identity: Identity,
    @Param('decisionId') decisionId: string,
    @Query() behalf: OnBehalfQuery,
    @Body() body: ReassignRequest,
  ) {
    return this.act(identity, behalf, decisionId, (task, actor, now) =>
      reassign(task, actor, body.assignee, now, this.leaseMs),
    );
  }

  private async act(
    identity: Identity,
    behalf: OnBehalfQuery,
    decisionId: string,
    attempt: (task: ReviewTask, actor: Actor, now: Date) => ReturnType<typeof approve>,
  ): Promise<ReviewTaskView> {
    const actor = await this.actorFor(identity, behalf.onBehalfOf);
    const result = await this.desk.act(decisionId, (task, now) => attempt(task, actor, now));
    return this.answer(result, actor);
  }

  /** The caller, or the caller acting for someone who delegated to them (403 without such a delegation). */
  private async actorFor(identity: Identity, onBehalfOf?: string): Promise<Actor> {
    const caller = personActing(identity, 'review acts are made');
    if (!onBehalfOf) return caller;
    const now = new Date();
    const delegation = activeDelegation(
      await this.delegations.current(now, caller.id),
      onBehalfOf,
      caller.id,
      now,
    );
    if (!delegation) throw new ForbiddenException(`${onBehalfOf} has no delegation to you in force`);
    return actingFor(caller, delegation);
  }

  private answer(result: DeskResult, actor: Actor): ReviewTaskView {
    if (result.ok) return viewOf(result.task, actor, new Date(), this.leaseMs);
    const { kind, code, message } = result.refusal;
    if (kind === 'not-found') throw new NotFoundException(message);
    const status = kind === 'forbidden' ? 403 : 409;
    throw new HttpException({ message, code }, status);
  }
}
