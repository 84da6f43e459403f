import { Body, Controller, Delete, Get, HttpCode, Logger, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { toProblems, validateAs } from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { validatePolicy } from '@oversight/policy';
import { ValidationFailed } from '@oversight/http';
import { HaltRequest, ResumeRequest } from './control-requests';
import { HaltInForce, HaltView } from './halt-view';

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
    private readonly halts: HaltView,
  ) {}

  @Get('halts')
  @Roles(...HALT_ROLES)
  @ApiOperation({ summary: 'The halts in force, with who pressed the button and why' })
  list(): { halts: HaltInForce[] } {
    return { halts: this.halts.inForce() };
  }

  @Post('halts')
  @Roles(...HALT_ROLES)
  @HttpCode(202)
  @ApiOperation({ summary: 'Stop auto-execution for a business function, or for all with scope *' })
  @ApiBody({
    schema: { type: 'object', example: { scope: 'telecom-billing', reason: 'suspected refund fraud' } },
  })
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
  @ApiQuery({ name: 'reason', required: false })
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
  @ApiOperation({ summary: 'Validate and publish a policy version (the JSON form of the policy YAML)' })
  async publishPolicy(@Body() body: unknown, @CurrentIdentity() caller: Identity) {
    const check = validatePolicy(body);
    if (!check.ok) throw new ValidationFailed('the policy is not valid', toProblems(check.errors));
    await this.control.publishPolicy(check.value, caller.subject);
    this.logger.log({
      message: 'policy published',
      policyId: check.value.policyId,
      version: check.value.version,
      by: caller.subject,
    });
    return { policyId: check.value.policyId, version: check.value.version };
  }
}

function valid<T extends object>(cls: new () => T, body: unknown, message: string): T {
  const check = validateAs(cls, body ?? {});
  if (!check.ok) throw new ValidationFailed(message, toProblems(check.errors));
  return check.value;
}
