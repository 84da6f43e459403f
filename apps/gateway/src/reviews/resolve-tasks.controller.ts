import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@oversight/auth';
import { AuditQueries } from '@oversight/audit-trail';
import { ReviewServiceClient } from './review-service.client';

/**
 * Approved actions that failed for good, for a person to correct and retry or abandon. The escalation service
 * applies the rules under the caller's own token; its answers, refusals included, pass through.
 */
@ApiTags('resolve')
@Controller('v1/resolve-tasks')
@Roles('reviewer', 'supervisor')
export class ResolveTasksController {
  constructor(
    private readonly escalation: ReviewServiceClient,
    private readonly audit: AuditQueries,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Open failures the caller may resolve, the oldest first' })
  list(
    @Headers('authorization') authorization: string,
    @Query('function') businessFunction?: string,
    @Query('limit') limit?: string,
  ) {
    const params = Object.entries({ function: businessFunction, limit }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    );
    return this.escalation.call(
      authorization,
      'GET',
      `/v1/resolve-tasks${params.length ? `?${new URLSearchParams(params)}` : ''}`,
    );
  }

  @Get(':decisionId')
  @Roles('reviewer', 'supervisor', 'auditor')
  @ApiOperation({
    summary: 'A failure with what the executor saw, and every try in the audit timeline',
  })
  async get(@Headers('authorization') authorization: string, @Param('decisionId') decisionId: string) {
    const [task, timeline] = await Promise.all([
      this.escalation.call(authorization, 'GET', `/v1/resolve-tasks/${encodeURIComponent(decisionId)}`),
      this.audit.timeline(decisionId),
    ]);
    return {
      task,
      timeline: timeline.map(({ event, occurredAt, chain }) => ({ occurredAt, seq: chain.seq, event })),
    };
  }

  @Post(':decisionId/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Correct the parameters (or amount) and try again',
    description:
      'Body: { parameters?, amount?, comment }. A correction the policy scores riskier than the approved action ' +
      'is proposed again as a new decision (resubmittedAs) and goes through review.',
  })
  retry(
    @Headers('authorization') authorization: string,
    @Param('decisionId') decisionId: string,
    @Body() body: unknown,
  ) {
    return this.escalation.call(
      authorization,
      'POST',
      `/v1/resolve-tasks/${encodeURIComponent(decisionId)}/retry`,
      body,
    );
  }

  @Post(':decisionId/abandon')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give up on the action, with a reason code and a comment' })
  abandon(
    @Headers('authorization') authorization: string,
    @Param('decisionId') decisionId: string,
    @Body() body: unknown,
  ) {
    return this.escalation.call(
      authorization,
      'POST',
      `/v1/resolve-tasks/${encodeURIComponent(decisionId)}/abandon`,
      body,
    );
  }
}
