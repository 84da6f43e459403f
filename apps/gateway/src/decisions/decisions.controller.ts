import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Logger,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { AuditQueries, encodeCursor, projectDecision } from '@oversight/audit-trail';
import {
  exampleDecisionProposed,
  newEvent,
  PlatformEvent,
  ID_PATTERN,
  ID_RULE,
  Problem,
  ROUTES,
  TIERS,
  Topic,
} from '@oversight/contracts';
import { EventPublisher } from '@oversight/messaging';
import { ActivePolicy } from '@oversight/messaging-nest';
import { HttpException } from '@nestjs/common';
import { ValidationFailed } from '@oversight/http';
import { checkSubmission, GATEWAY_PRODUCER } from './decision-submission';
import { checkReversal } from './reversal';
import { ReversalRequestBody } from './reversal-request';
import { DEFAULT_DECISIONS, decisionListQuery, MAX_DECISIONS, QueryParams } from './decision-query';
import {
  DECISION_PAGE_SCHEMA,
  DECISION_STATUS_SCHEMA,
  DecisionStatus,
  toDecisionStatus,
} from './decision-status';
import { DECISION_TIMELINE_SCHEMA, TimelineRecord, toTimelineRecord } from './decision-timeline';

@ApiTags('decisions')
@Controller('v1/decisions')
export class DecisionsController {
  private readonly logger = new Logger('decisions');

  constructor(
    private readonly publisher: EventPublisher,
    private readonly audit: AuditQueries,
    private readonly policy: ActivePolicy,
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
  @ApiResponse({
    status: 202,
    description: 'Accepted: published on decision.proposed.v1',
    schema: { type: 'object', required: ['decisionId'], properties: { decisionId: { type: 'string' } } },
  })
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

  @Get()
  @Roles('auditor', 'supervisor')
  @ApiOperation({
    summary: 'Decisions, newest proposal first, each as it stands (the oversight view)',
    description:
      'Each decision is folded from the audit trail, as GET /v1/decisions/:decisionId answers it. ' +
      'from and to bound the proposal time (from inclusive, to exclusive).',
  })
  @ApiQuery({ name: 'function', required: false, description: 'a business function' })
  @ApiQuery({ name: 'route', required: false, enum: ROUTES })
  @ApiQuery({ name: 'tier', required: false, enum: TIERS })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601, proposed at or after' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601, proposed before' })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `1-${MAX_DECISIONS} (default ${DEFAULT_DECISIONS})`,
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    description: 'the `next` of the previous page, with the same filter: resumes exactly where it stopped',
  })
  @ApiResponse({
    status: 200,
    description:
      '{ decisions: DecisionStatus[], next?: string }: next is absent once nothing older matches. A page may ' +
      'hold fewer than limit decisions when a route and tier filter passes over many; follow next until absent.',
    schema: DECISION_PAGE_SCHEMA,
  })
  @ApiResponse({ status: 400, description: 'A bad parameter: problems names each' })
  async list(@Query() query: QueryParams): Promise<{ decisions: DecisionStatus[]; next?: string }> {
    const problems: Problem[] = [];
    const { filter, limit, after } = decisionListQuery(query, problems);
    if (problems.length) throw new ValidationFailed('the query is not valid', problems);
    const page = await this.audit.findDecisions(filter, limit, after);
    return {
      decisions: page.decisions.map(toDecisionStatus),
      ...(page.next ? { next: encodeCursor(page.next) } : {}),
    };
  }

  @Get(':decisionId/timeline')
  @Roles('auditor', 'supervisor', 'reviewer')
  @ApiOperation({
    summary: "A decision's events in the order they happened, each with its link in the hash chain",
    description:
      'The order is when each event happened; chain.seq is the order the audit service stored them, which ' +
      'across topics may differ by a few milliseconds.',
  })
  @ApiResponse({
    status: 200,
    description: '{ decisionId, records: [{ eventId, type, occurredAt, chain, event }] }',
    schema: DECISION_TIMELINE_SCHEMA,
  })
  @ApiResponse({ status: 404, description: 'The audit trail holds nothing for it' })
  async timeline(
    @Param('decisionId') decisionId: string,
  ): Promise<{ decisionId: string; records: TimelineRecord[] }> {
    checkDecisionId(decisionId);
    const records = await this.audit.timeline(decisionId);
    if (records.length === 0) throw new NotFoundException(`no decision ${decisionId} in the audit trail`);
    return { decisionId, records: records.map(toTimelineRecord) };
  }

  @Post(':decisionId/reversal')
  @HttpCode(202)
  @Roles('supervisor')
  @ApiOperation({
    summary: 'Reverse an action that ran on its own (human-on-the-loop), within the policy window',
    description:
      'Body: { comment }. Publishes ReversalRequested; the executor that carried the action out runs its ' +
      'compensation and reports ActionReversed or ReversalFailed. 409 when it did not run on its own, has not ' +
      'been carried out, is irreversible, was already asked for, or the window is closed.',
  })
  @ApiResponse({
    status: 202,
    description: '{ decisionId, executor }: the request is published',
    schema: {
      type: 'object',
      required: ['decisionId', 'executor'],
      properties: { decisionId: { type: 'string' }, executor: { type: 'string' } },
    },
  })
  async reverse(
    @Param('decisionId') decisionId: string,
    @Body() body: ReversalRequestBody,
    @CurrentIdentity() caller: Identity,
  ): Promise<{ decisionId: string; executor: string }> {
    checkDecisionId(decisionId);
    if (caller.kind !== 'user')
      throw new ForbiddenException('reversals are asked for by people, not by service keys');
    // One walk of the chain serves both the projection and the check.
    const events = (await this.audit.chain(decisionId)).map(
      (record) => record.event as unknown as PlatformEvent,
    );
    const projection = events.length ? projectDecision(decisionId, events) : undefined;
    const check = checkReversal(decisionId, projection, events, this.policy.current(), new Date());
    if (!check.ok) {
      if (check.status === 404) throw new NotFoundException(check.message);
      throw new HttpException({ message: check.message, code: check.code }, check.status);
    }
    const { ok: _ok, ...target } = check;
    await this.publisher.publish(
      Topic.ActionReversal,
      newEvent('ReversalRequested', {
        decisionId,
        producer: GATEWAY_PRODUCER,
        payload: {
          ...target,
          requestedBy: { kind: 'user', id: caller.subject, roles: caller.roles },
          comment: body.comment,
        },
      }),
    );
    this.logger.log({
      message: 'reversal requested',
      decisionId,
      executor: check.executor,
      by: caller.subject,
    });
    return { decisionId, executor: check.executor };
  }

  @Get(':decisionId')
  @Roles('upstream', 'auditor', 'supervisor', 'reviewer')
  @ApiOperation({ summary: "A decision's status and outcome, folded from the audit trail" })
  @ApiResponse({ status: 200, description: 'The decision as it stands', schema: DECISION_STATUS_SCHEMA })
  @ApiResponse({
    status: 404,
    description: 'The audit trail holds nothing for it (unknown, or not stored yet)',
  })
  async status(@Param('decisionId') decisionId: string): Promise<DecisionStatus> {
    checkDecisionId(decisionId);
    const projection = await this.audit.decision(decisionId);
    if (!projection) throw new NotFoundException(`no decision ${decisionId} in the audit trail`);
    return toDecisionStatus(projection);
  }
}

/** A malformed id is the caller's mistake (400), not an unknown decision (404). */
function checkDecisionId(decisionId: string): void {
  if (!ID_PATTERN.test(decisionId)) {
    throw new ValidationFailed('the decisionId is not valid', [{ field: 'decisionId', reason: ID_RULE }]);
  }
}
