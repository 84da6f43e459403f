import { Body, Controller, Get, HttpCode, Logger, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { AuditQueries } from '@oversight/audit-trail';
import { exampleDecisionProposed, ID_PATTERN, ID_RULE, Topic } from '@oversight/contracts';
import { EventPublisher } from '@oversight/messaging';
import { HttpException } from '@nestjs/common';
import { ValidationFailed } from '@oversight/http';
import { checkSubmission } from './decision-submission';
import { DecisionStatus, toDecisionStatus } from './decision-status';

@ApiTags('decisions')
@Controller('v1/decisions')
export class DecisionsController {
  private readonly logger = new Logger('decisions');

  constructor(
    private readonly publisher: EventPublisher,
    private readonly audit: AuditQueries,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('upstream')
  @ApiOperation({
    summary: 'Propose an AI decision for oversight',
    description:
      'The body is a DecisionProposed payload, plus an optional decisionId (generated when absent) and correlationId. ' +
      'The requester is taken from the credentials. Submitting the same decisionId again is harmless.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: { decisionId: 'dec-2026-0001', ...exampleDecisionProposed({ requester: undefined }) },
    },
  })
  @ApiResponse({ status: 202, description: 'Accepted: published on decision.proposed.v1' })
  @ApiResponse({ status: 400, description: 'Invalid: problems lists each field and why' })
  async submit(@Body() body: unknown, @CurrentIdentity() caller: Identity): Promise<{ decisionId: string }> {
    const check = checkSubmission(body, caller);
    if (!check.ok) {
      if (check.status === 403)
        throw new HttpException({ message: check.message, problems: check.problems }, 403);
      throw new ValidationFailed(check.message, check.problems);
    }
    const { event } = check;
    await this.publisher.publish(Topic.DecisionProposed, event);
    this.logger.log({
      message: 'decision submitted',
      decisionId: event.decisionId,
      eventId: event.eventId,
      submittedBy: caller.subject,
      callerKind: caller.kind,
    });
    return { decisionId: event.decisionId };
  }

  @Get(':decisionId')
  @Roles('upstream', 'auditor', 'supervisor', 'reviewer')
  @ApiOperation({ summary: "A decision's status and outcome, folded from the audit trail" })
  @ApiResponse({
    status: 404,
    description: 'The audit trail holds nothing for it (unknown, or not stored yet)',
  })
  async status(@Param('decisionId') decisionId: string): Promise<DecisionStatus> {
    if (!ID_PATTERN.test(decisionId)) {
      throw new ValidationFailed('the decisionId is not valid', [{ field: 'decisionId', reason: ID_RULE }]);
    }
    const projection = await this.audit.decision(decisionId);
    if (!projection) throw new NotFoundException(`no decision ${decisionId} in the audit trail`);
    return toDecisionStatus(projection);
  }
}
