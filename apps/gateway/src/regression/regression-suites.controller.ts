import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { toProblems } from '@oversight/contracts';
import { ValidationFailed } from '@oversight/http';
import { runSuite, SuiteRun, validatePolicy, validateSuite } from '@oversight/policy';
import {
  RegressionSuiteRepository,
  SavedSuite,
  SUITE_SUMMARY_SCHEMA,
  SuiteSummary,
} from './regression-suite.repository';

const SUITE_EXAMPLE = {
  description: 'Small refunds run on their own',
  baseProposal: {
    agent: { id: 'billing-assistant', modelId: 'gpt-ops', modelVersion: '2026-10-01' },
    parameters: {},
    confidence: 0.97,
    reversibility: 'reversible',
    requester: { kind: 'agent', id: 'billing-assistant' },
    context: { summary: 'Duplicate roaming charge' },
  },
  cases: [
    {
      name: 'refund $12 high confidence',
      proposal: {
        businessFunction: 'telecom-billing',
        actionType: 'refund',
        amount: { value: 12, currency: 'USD' },
      },
      expect: { route: 'auto', tier: 'low' },
    },
  ],
};

/**
 * Regression suites: saved decisions with the route and tier each must keep. Every saved suite runs against a
 * policy before `POST /v1/policies` publishes it (see ControlController); here they are saved, read and run.
 */
@ApiTags('regression suites')
@Controller('v1/regression-suites')
@Roles('admin', 'sre')
export class RegressionSuitesController {
  constructor(private readonly suites: RegressionSuiteRepository) {}

  @Put(':name')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Save a suite under a name: a new revision when the name exists (the latest is in force)',
  })
  @ApiBody({ schema: { type: 'object', example: SUITE_EXAMPLE } })
  @ApiResponse({ status: 201, description: 'The revision saved', schema: SUITE_SUMMARY_SCHEMA })
  async save(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentIdentity() caller: Identity,
  ): Promise<SuiteSummary> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ValidationFailed('the suite is not valid', [
        { field: '(root)', reason: 'must be a JSON object' },
      ]);
    }
    const fields = body as Record<string, unknown>;
    if (fields.name !== undefined && fields.name !== name) {
      throw new ValidationFailed('the suite is not valid', [
        { field: 'name', reason: `must be the name in the path (${name}) or left out` },
      ]);
    }
    const check = validateSuite({ ...fields, name });
    if (!check.ok) throw new ValidationFailed('the suite is not valid', toProblems(check.errors));
    return this.suites.save(check.value, caller.subject);
  }

  @Get()
  @ApiOperation({ summary: 'The saved suites: name, latest revision, case count, who saved it and when' })
  @ApiResponse({
    status: 200,
    description: 'The saved suites',
    schema: {
      type: 'object',
      required: ['suites'],
      properties: { suites: { type: 'array', items: SUITE_SUMMARY_SCHEMA } },
    },
  })
  async list(): Promise<{ suites: SuiteSummary[] }> {
    return { suites: await this.suites.list() };
  }

  @Get(':name')
  @ApiOperation({ summary: "A suite's latest revision, each case's proposal in full" })
  @ApiResponse({
    status: 200,
    description: 'The latest revision',
    schema: {
      ...SUITE_SUMMARY_SCHEMA,
      required: [...SUITE_SUMMARY_SCHEMA.required, 'suite'],
      properties: { ...SUITE_SUMMARY_SCHEMA.properties, suite: { type: 'object' } },
    },
  })
  async read(@Param('name') name: string): Promise<SavedSuite> {
    return this.found(name, await this.suites.find(name));
  }

  @Post(':name/run')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Run a suite against a policy (the JSON form of the policy YAML); lists the cases whose outcome changed',
  })
  async run(@Param('name') name: string, @Body() body: unknown): Promise<SuiteRun> {
    const policy = validatePolicy(body);
    if (!policy.ok) throw new ValidationFailed('the policy is not valid', toProblems(policy.errors));
    const { suite } = this.found(name, await this.suites.find(name));
    return runSuite(suite, policy.value);
  }

  private found(name: string, suite: SavedSuite | undefined): SavedSuite {
    if (!suite) throw new NotFoundException(`no regression suite named ${name}`);
    return suite;
  }
}
