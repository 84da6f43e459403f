import {
  Body,
  ConflictException,
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
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { DRIFT_HALT_BY, newEvent, Problem, SLUG_PATTERN, SLUG_RULE, Topic } from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { OversightMetrics, oversightMetrics } from '@oversight/learning';
import { DriftEpisode, DriftEpisodes, OversightRecords } from '@oversight/learning-store';
import { EventPublisher } from '@oversight/messaging';
import { ActivePolicy, HaltsInForce } from '@oversight/messaging-nest';
import { ValidationFailed } from '@oversight/http';
import { QueryParams } from '../decisions/decision-query';
import { GATEWAY_PRODUCER } from '../decisions/decision-submission';
import { ClearDriftRequest } from './clear-drift-request';
import { metricsQuery, suggestionsQuery } from './oversight-query';
import { ActionThresholdSuggestion, thresholdSuggestions } from './threshold-suggestions';

/**
 * How well people and the AI agree, from the learning loop's records: metrics over a window, drift episodes and
 * clearing them, and threshold suggestions against the policy in force (applied only by publishing a new
 * version).
 */
@ApiTags('oversight')
@Controller('v1/oversight')
@Roles('supervisor', 'admin', 'sre', 'auditor')
export class OversightController {
  private readonly logger = new Logger('oversight');

  constructor(
    private readonly records: OversightRecords,
    private readonly episodes: DriftEpisodes,
    private readonly policy: ActivePolicy,
    private readonly publisher: EventPublisher,
    private readonly control: ControlClient,
    private readonly halts: HaltsInForce,
  ) {}

  @Get('metrics')
  @ApiOperation({
    summary: 'Agreement, override and edit rates, routing to people, reviewer latency and calibration',
    description:
      'Query: businessFunction, actionType, modelId, modelVersion, hours (default 24), bucketMinutes ' +
      '(default 60). Totals over the window, a series per bucket, and a row per model version and action.',
  })
  @ApiResponse({ status: 200, description: 'The metrics over the window' })
  @ApiResponse({ status: 400, description: 'A bad parameter: problems names each' })
  async metrics(@Query() query: QueryParams): Promise<OversightMetrics> {
    const problems: Problem[] = [];
    const { filter, hours, bucketMinutes } = metricsQuery(query, problems);
    if (problems.length) throw new ValidationFailed('the query is not valid', problems);
    const to = new Date();
    const from = new Date(to.getTime() - hours * 3_600_000);
    const [{ observations, labels }, driftAlerts] = await Promise.all([
      this.records.window(filter, from, to),
      this.episodes.count(from, to, filter.businessFunction),
    ]);
    return oversightMetrics(observations, labels, { from, to, bucketMinutes }, driftAlerts);
  }

  @Get('drift')
  @ApiOperation({ summary: 'Drift episodes, the newest first; open ones have no clearedAt' })
  async drift(): Promise<{ episodes: DriftEpisode[] }> {
    return { episodes: await this.episodes.list() };
  }

  @Post('drift/:businessFunction/clear')
  @HttpCode(202)
  @Roles('supervisor', 'admin')
  @ApiOperation({
    summary: "Clear a function's open drift episode",
    description:
      'Body: { reason }. Publishes DriftCleared; when the episode sent the function to review, that halt is ' +
      'lifted. Drift is measured again from a new baseline after this.',
  })
  @ApiResponse({
    status: 202,
    description: 'The episode is cleared',
    schema: {
      type: 'object',
      required: ['businessFunction', 'episode', 'cleared'],
      properties: {
        businessFunction: { type: 'string' },
        episode: { type: 'integer', minimum: 0 },
        cleared: { type: 'boolean', enum: [true] },
      },
    },
  })
  @ApiResponse({ status: 404, description: 'The function has no drift episode' })
  @ApiResponse({ status: 409, description: 'Its latest episode is cleared already' })
  async clear(
    @Param('businessFunction') businessFunction: string,
    @Body() body: ClearDriftRequest,
    @CurrentIdentity() caller: Identity,
  ): Promise<{ businessFunction: string; episode: number; cleared: true }> {
    if (!SLUG_PATTERN.test(businessFunction)) {
      throw new ValidationFailed('the business function is not valid', [
        { field: 'businessFunction', reason: SLUG_RULE },
      ]);
    }
    if (caller.kind !== 'user')
      throw new ForbiddenException('drift is cleared by people, not by service keys');
    const latest = await this.episodes.latest(businessFunction);
    if (!latest) throw new NotFoundException(`${businessFunction} has no drift episode`);
    if (latest.clearedAt) {
      throw new ConflictException(
        `drift episode ${latest.episode} of ${businessFunction} was cleared at ${latest.clearedAt.toISOString()}`,
      );
    }
    // The halt first: if anything after it fails, clearing again finds the episode open and finishes the job.
    const halt = this.halts.inForce().find((found) => found.scope === businessFunction);
    const liftHalt = halt?.by === DRIFT_HALT_BY;
    if (liftHalt) {
      await this.control.resume(
        businessFunction,
        `drift episode ${latest.episode} cleared: ${body.reason}`.slice(0, 500),
        caller.subject,
      );
    }
    const cleared = newEvent('DriftCleared', {
      producer: GATEWAY_PRODUCER,
      correlationId: `drift-${businessFunction}-${latest.episode}`,
      payload: { businessFunction, episode: latest.episode, clearedBy: caller.subject, reason: body.reason },
    });
    await this.publisher.publish(Topic.Drift, cleared);
    // Recorded here too, so the next read shows it; the learning service's copy of the same record is a no-op.
    await this.episodes.recordClear(cleared);
    this.logger.log({
      message: 'drift cleared',
      businessFunction,
      episode: latest.episode,
      by: caller.subject,
      haltLifted: liftHalt,
    });
    return { businessFunction, episode: latest.episode, cleared: true };
  }

  @Get('threshold-suggestions')
  @ApiOperation({
    summary: 'Per function and action: the confidence threshold that would keep auto decisions under target',
    description:
      'Query: businessFunction, days (of answers, default 30). Beside the current threshold, with how many ' +
      'decisions it would move. Applied only by publishing a new policy version.',
  })
  async suggestions(@Query() query: QueryParams): Promise<{ suggestions: ActionThresholdSuggestion[] }> {
    const problems: Problem[] = [];
    const { businessFunction, days } = suggestionsQuery(query, problems);
    if (problems.length) throw new ValidationFailed('the query is not valid', problems);
    const to = new Date();
    const from = new Date(to.getTime() - days * 24 * 3_600_000);
    const { observations, labels } = await this.records.window(
      businessFunction ? { businessFunction } : {},
      from,
      to,
    );
    return { suggestions: thresholdSuggestions(this.policy.current(), labels, observations) };
  }
}
