import { Body, Controller, Delete, Get, HttpCode, Logger, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { toProblems, validateAs } from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { HaltInForce, HaltsInForce } from '@oversight/messaging-nest';
import { publishVerdict, runSuite, validatePolicy } from '@oversight/policy';
import { ErrorWithDetails, ValidationFailed } from '@oversight/http';
import { RegressionSuiteRepository } from '../regression/regression-suite.repository';
import {
  HALT_ANSWER_SCHEMA,
  HALT_REQUEST_SCHEMA,
  HALT_SCOPE,
  HALTS_IN_FORCE_SCHEMA,
  HaltRequest,
  PublishPolicyQuery,
  ResumeRequest,
} from './control-requests';

const HALT_ROLES = ['admin', 'sre', 'supervisor'] as const;

/**
 * The operator's levers over HTTP: the stop button and policy publishing. The caller is the `by` of each.
 * Supervisors on the loop may press and lift the stop button too (human oversight means being able to interrupt
 * the system); publishing policy stays with admins and SREs.
 */
@ApiTags('control')
@Controller('v1')
@Roles('admin', 'sre')
export class ControlController {
  private readonly logger = new Logger('control');

  constructor(
    private readonly control: ControlClient,
    private readonly halts: HaltsInForce,
    private readonly suites: RegressionSuiteRepository,
  ) {}

  @Get('halts')
  @Roles(...HALT_ROLES)
  @ApiOperation({ summary: 'The halts in force, with who pressed the button and why' })
  @ApiResponse({ status: 200, description: 'The halts in force', schema: HALTS_IN_FORCE_SCHEMA })
  list(): { halts: HaltInForce[] } {
    return { halts: this.halts.inForce() };
  }

  @Post('halts')
  @Roles(...HALT_ROLES)
  @HttpCode(202)
  @ApiOperation({ summary: 'Stop auto-execution for a business function, or for all with scope *' })
  @ApiBody({ schema: HALT_REQUEST_SCHEMA })
  @ApiResponse({ status: 202, description: 'The halt is published', schema: HALT_ANSWER_SCHEMA })
  async halt(@Body() body: unknown, @CurrentIdentity() caller: Identity) {
    const request = valid(HaltRequest, body, 'the halt request is not valid');
    await this.control.halt(request.scope, request.reason, caller.subject);
    this.logger.log({
      message: 'halt pressed',
      scope: request.scope,
      by: caller.subject,
      reason: request.reason,
    });
    return { scope: request.scope, halted: true };
  }

  @Delete('halts/:scope')
  @Roles(...HALT_ROLES)
  @HttpCode(202)
  @ApiOperation({ summary: 'Lift a halt (resume); the reason in the body or as ?reason=' })
  @ApiParam({ name: 'scope', schema: { type: 'string', pattern: HALT_SCOPE.source } })
  @ApiQuery({ name: 'reason', required: false, schema: { type: 'string', minLength: 1, maxLength: 500 } })
  @ApiResponse({ status: 202, description: 'The resume is published', schema: HALT_ANSWER_SCHEMA })
  async resume(
    @Param('scope') scope: string,
    @Body() body: unknown,
    @Query('reason') reasonQuery: string | undefined,
    @CurrentIdentity() caller: Identity,
  ) {
    const fromBody = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const { reason } = valid(
      ResumeRequest,
      {
        ...fromBody,
        ...(reasonQuery !== undefined && fromBody.reason === undefined ? { reason: reasonQuery } : {}),
      },
      'the resume request is not valid',
    );
    valid(HaltRequest, { scope, reason }, 'the scope is not valid');
    await this.control.resume(scope, reason, caller.subject);
    this.logger.log({ message: 'halt lifted', scope, by: caller.subject, reason });
    return { scope, halted: false };
  }

  @Post('policies')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Validate a policy version (the JSON form of the policy YAML), run every saved regression suite against it, and publish it',
    description:
      'When a saved case would change its route or tier the policy is not published: 409 with the changed ' +
      'cases per suite. Send it again with ?confirm=true&reason=<why> to publish it anyway; the published ' +
      'event records who confirmed and why.',
  })
  @ApiQuery({ name: 'confirm', required: false, enum: ['true', 'false'] })
  @ApiQuery({
    name: 'reason',
    required: false,
    description: 'why the changed outcomes are accepted; needed with confirm=true',
  })
  @ApiResponse({
    status: 202,
    description: '{ policyId, version, regression: { suites, cases, changed, confirmedBy?, reason? } }',
  })
  @ApiResponse({
    status: 409,
    description:
      '{ statusCode, error, message, code: regression-changed, changed: [suite runs with changes] }',
  })
  async publishPolicy(
    @Body() body: unknown,
    @Query('confirm') confirm: string | undefined,
    @Query('reason') reason: string | undefined,
    @CurrentIdentity() caller: Identity,
  ) {
    const check = validatePolicy(body);
    const query = validateAs(PublishPolicyQuery, {
      ...(confirm !== undefined ? { confirm } : {}),
      ...(reason !== undefined ? { reason } : {}),
    });
    const problems = [
      ...(check.ok ? [] : toProblems(check.errors)),
      ...(query.ok ? [] : toProblems(query.errors)),
    ];
    if (!check.ok || !query.ok) {
      throw new ValidationFailed(
        check.ok ? 'the confirmation is not valid' : 'the policy is not valid',
        problems,
      );
    }
    const policy = check.value;

    const runs = (await this.suites.latestAll()).map(({ suite }) => runSuite(suite, policy));
    const confirmation =
      query.value.confirm === 'true' && query.value.reason
        ? { by: caller.subject, reason: query.value.reason }
        : undefined;
    const verdict = publishVerdict(runs, confirmation);
    if (!verdict.publish) {
      this.logger.warn({
        message: 'policy refused: it changes saved regression outcomes',
        policyId: policy.policyId,
        version: policy.version,
        changed: verdict.changedCases,
        by: caller.subject,
      });
      throw new ErrorWithDetails(
        409,
        `policy ${policy.policyId} v${policy.version} changes the outcome of ${verdict.changedCases} saved ` +
          'regression case(s) and was not published; to publish it anyway send it again with ' +
          '?confirm=true&reason=<why>',
        'regression-changed',
        { changed: verdict.runs },
      );
    }

    await this.control.publishPolicy(policy, caller.subject, verdict.regression);
    this.logger.log({
      message: 'policy published',
      policyId: policy.policyId,
      version: policy.version,
      by: caller.subject,
      regression: verdict.regression,
    });
    return { policyId: policy.policyId, version: policy.version, regression: verdict.regression };
  }
}

function valid<T extends object>(cls: new () => T, body: unknown, message: string): T {
  const check = validateAs(cls, body ?? {});
  if (!check.ok) throw new ValidationFailed(message, toProblems(check.errors));
  return check.value;
}
