import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  MessageEvent,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Sse,
} from '@nestjs/common';
import { finalize, Observable } from 'rxjs';
import { ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { AuditQueries } from '@oversight/audit-trail';
import { serverSentEvents } from '../live/live-feed';
import { LiveFeedConnections } from '../protection/live-feed-connections';
import { ReviewFeed } from './review-feed';
import { ReviewServiceClient } from './review-service.client';

/** The acts a reviewer can take on a task (POST /v1/review-tasks/:decisionId/<act>). */
export const REVIEW_ACTS = [
  'claim',
  'release',
  'approve',
  'reject',
  'edit',
  'comment',
  'escalate',
  'reassign',
] as const;

const query = (params: Record<string, string | undefined>) => {
  const defined = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return defined.length ? `?${new URLSearchParams(defined)}` : '';
};

/**
 * Reviewers' side of the gateway: the queue, a task with everything needed to decide it, and the acts, which
 * the escalation service carries out under the reviewer's own token (400/403/404/409 pass through as it
 * answers them).
 */
@ApiTags('reviews')
@Controller('v1')
@Roles('reviewer', 'supervisor')
export class ReviewsController {
  constructor(
    private readonly reviews: ReviewServiceClient,
    private readonly audit: AuditQueries,
    private readonly feed: ReviewFeed,
    private readonly connections: LiveFeedConnections,
  ) {}

  @Get('review-tasks')
  @ApiOperation({ summary: "The caller's queue: tasks their roles may act on, nearest SLA first" })
  queue(
    @Headers('authorization') authorization: string,
    @Query('function') businessFunction?: string,
    @Query('limit') limit?: string,
  ) {
    return this.reviews.call(
      authorization,
      'GET',
      `/v1/review-tasks${query({ function: businessFunction, limit })}`,
    );
  }

  /**
   * Server-sent events, one per change to any review task (`event: review`, data: decisionId, act, status,
   * quorum, occurredAt), and a `ping` every 20 s so proxies keep the connection open. A screen re-fetches its
   * queue or task on a change: what each caller may see is filtered there, not here.
   */
  @Sse('review-events')
  @Roles('reviewer', 'supervisor', 'auditor')
  @ApiOperation({
    summary: 'Live review changes (server-sent events) for screens that update without reloading',
  })
  @ApiResponse({ status: 429, description: 'The caller already holds LIVE_FEEDS_PER_CALLER live feeds' })
  events(@CurrentIdentity() caller: Identity, @Req() request: object): Observable<MessageEvent> {
    const release = this.connections.admit(caller, request);
    return serverSentEvents('review', this.feed.stream).pipe(finalize(release));
  }

  @Get('review-tasks/:decisionId')
  @Roles('reviewer', 'supervisor', 'auditor')
  @ApiOperation({
    summary: 'A task with its full context',
    description:
      'The task (proposal, score and every reason, policy version, quorum, what the caller may do and why not), ' +
      'the decision’s audit timeline, and the latest decisions about the same subject with how they ended.',
  })
  async task(@Headers('authorization') authorization: string, @Param('decisionId') decisionId: string) {
    const task = await this.reviews.call<{ proposal: { subject?: { kind: string; id: string } } }>(
      authorization,
      'GET',
      `/v1/review-tasks/${encodeURIComponent(decisionId)}`,
    );
    const subject = task.proposal.subject;
    const [timeline, subjectHistory] = await Promise.all([
      this.audit.timeline(decisionId),
      subject ? this.audit.decisionsAbout(subject, 10, decisionId) : Promise.resolve([]),
    ]);
    return {
      task,
      timeline: timeline.map(({ event, occurredAt, chain }) => ({ occurredAt, seq: chain.seq, event })),
      subjectHistory,
    };
  }

  @Post('review-tasks/:decisionId/:act')
  @HttpCode(200)
  @ApiOperation({ summary: 'claim | release | approve | reject | edit | comment | escalate | reassign' })
  @ApiParam({ name: 'act', enum: REVIEW_ACTS })
  @ApiQuery({ name: 'onBehalfOf', required: false, description: 'the person who delegated to the caller' })
  act(
    @Headers('authorization') authorization: string,
    @Param('decisionId') decisionId: string,
    @Param('act') act: string,
    @Query('onBehalfOf') onBehalfOf: string | undefined,
    @Body() body: unknown,
  ) {
    if (!(REVIEW_ACTS as readonly string[]).includes(act)) {
      throw new NotFoundException(`no review act ${act}; one of ${REVIEW_ACTS.join(', ')}`);
    }
    const path = `/v1/review-tasks/${encodeURIComponent(decisionId)}/${act}${query({ onBehalfOf })}`;
    return this.reviews.call(authorization, 'POST', path, body ?? {});
  }

  @Get('delegations')
  @ApiOperation({
    summary: 'Delegations the caller gave or received (a supervisor: all) that have not ended',
  })
  delegations(@Headers('authorization') authorization: string) {
    return this.reviews.call(authorization, 'GET', '/v1/delegations');
  }

  @Post('delegations')
  @Roles('reviewer')
  @ApiOperation({ summary: 'Let another person act on reviews for the caller for a while (out of office)' })
  delegate(@Headers('authorization') authorization: string, @Body() body: unknown) {
    return this.reviews.call(authorization, 'POST', '/v1/delegations', body ?? {});
  }

  @Post('delegations/:delegationId/revoke')
  @HttpCode(200)
  revoke(
    @Headers('authorization') authorization: string,
    @Param('delegationId') delegationId: string,
    @Body() body: unknown,
  ) {
    return this.reviews.call(
      authorization,
      'POST',
      `/v1/delegations/${encodeURIComponent(delegationId)}/revoke`,
      body ?? {},
    );
  }
}
