import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { Roles } from '@oversight/auth';

/**
 * Prometheus' scrape endpoint (`GET /metrics`). The gateway is the platform's public door, so its metrics are
 * for operators: a scraper authenticates like any caller (an `sre` API key or token).
 */
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @Roles('sre', 'admin')
  override async index(@Res({ passthrough: true }) response: unknown): Promise<string> {
    return super.index(response);
  }
}
