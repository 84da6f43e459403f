import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@oversight/auth';
import { AuditQueries } from '@oversight/audit-trail';
import { ReviewServiceClient } from './review-service.client';

/** What a person can do with a failed action (POST /v1/resolve-tasks/:decisionId/<act>). */
export const RESOLVE_ACTS = ['retry', 'abandon'] as const;

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

  @Post(':decisionId/:act')
  @HttpCode(200)
  @ApiOperation({
    summary: 'retry | abandon',
    description:
      'retry { parameters?, amount?, comment }: try again as corrected; a correction the policy scores riskier than ' +
      'the approved action is proposed again as a new decision (resubmittedAs) and goes through review. ' +
      'abandon { reasonCode, comment }: give up on the action.',
  })
  @ApiParam({ name: 'act', enum: RESOLVE_ACTS })
  act(
    @Headers('authorization') authorization: string,
    @Param('decisionId') decisionId: string,
    @Param('act') act: string,
    @Body() body: unknown,
  ) {
    if (!(RESOLVE_ACTS as readonly string[]).includes(act)) {
      throw new NotFoundException(`no resolve act ${act}; one of ${RESOLVE_ACTS.join(', ')}`);
    }
    return this.escalation.call(
      authorization,
      'POST',
      `/v1/resolve-tasks/${encodeURIComponent(decisionId)}/${act}`,
      body,
    );
  }
}
