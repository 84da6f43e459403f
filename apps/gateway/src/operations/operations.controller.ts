import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@oversight/auth';
import { OPERATIONS_QUERIES, OperationsQuery } from './operations-queries';
import { OperationsOverview, operationsOverview, OverviewSamples } from './operations-view';
import { OPERATIONS_OVERVIEW_SCHEMA } from './operations-schema';
import { PrometheusClient } from './prometheus-client';

/** The platform's running state for the people who keep it running, read from Prometheus with fixed queries. */
@ApiTags('operations')
@Controller('v1/operations')
@Roles('sre', 'admin')
export class OperationsController {
  constructor(private readonly prometheus: PrometheusClient) {}

  @Get('overview')
  @ApiOperation({
    summary: 'Consumer lag, dead letters, review queues and SLAs, halts, service health and firing alerts',
    description:
      'Read from Prometheus (PROMETHEUS_URL) with fixed queries at the moment of the call. 503 (code ' +
      'prometheus-unavailable) when Prometheus does not answer.',
  })
  @ApiResponse({ status: 200, description: 'The overview, now', schema: OPERATIONS_OVERVIEW_SCHEMA })
  @ApiResponse({ status: 503, description: 'Prometheus did not answer; the message names it' })
  async overview(): Promise<OperationsOverview> {
    const names = Object.keys(OPERATIONS_QUERIES) as OperationsQuery[];
    const [answers, alerts] = await Promise.all([
      Promise.all(names.map((name) => this.prometheus.query(OPERATIONS_QUERIES[name]))),
      this.prometheus.alerts(),
    ]);
    const samples = Object.fromEntries(names.map((name, i) => [name, answers[i]])) as OverviewSamples;
    return operationsOverview(samples, alerts, new Date());
  }
}
