import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { Public } from '@oversight/auth';
import { BrokerHealthIndicator } from './broker.health';

/** Readiness: 200 when the broker and the store answer, 503 naming the one that does not. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly store: MongooseHealthIndicator,
    private readonly broker: BrokerHealthIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.store.pingCheck('store', { timeout: 3_000 }),
      () => this.broker.check('broker'),
    ]);
  }
}
