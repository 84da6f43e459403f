import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { ThrottlerModule } from '@nestjs/throttler';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { GatewayEnvironment } from '../config/gateway-environment';
import { FailedSignInsRepository } from './failed-sign-ins.repository';
import { FailedSignInsRecord, FailedSignInsSchema } from './failed-sign-ins.schema';
import { LIVE_FEEDS_PER_CALLER, LiveFeedConnections } from './live-feed-connections';
import { MetricsController } from './metrics.controller';
import { Refusals, refusalsCounter } from './refusals';
import { IpLimitGuard } from './request-limit.guards';
import { throttlerOptions } from './request-limits';

type Config = ConfigService<GatewayEnvironment, true>;

/**
 * What keeps abuse out of the gateway: rate limits, the sign-in lockout, the live-feed cap, and the log and
 * count of every refusal (on /metrics). Imported ahead of AuthModule, so the per-address limit runs before
 * any credential is checked; the per-caller one is CallerLimitsModule's, imported after it.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) =>
        throttlerOptions({
          perIp: config.get('RATE_LIMIT_PER_IP', { infer: true }),
          perUser: config.get('RATE_LIMIT_PER_USER', { infer: true }),
          perService: config.get('RATE_LIMIT_PER_SERVICE', { infer: true }),
          signInPerIp: config.get('SIGN_IN_LIMIT_PER_IP', { infer: true }),
        }),
    }),
    PrometheusModule.register({ path: '/metrics', controller: MetricsController }),
    MongooseModule.forFeature([{ name: FailedSignInsRecord.name, schema: FailedSignInsSchema }]),
  ],
  providers: [
    { provide: APP_GUARD, useClass: IpLimitGuard },
    refusalsCounter,
    Refusals,
    FailedSignInsRepository,
    {
      provide: LIVE_FEEDS_PER_CALLER,
      inject: [ConfigService],
      useFactory: (config: Config) => config.get('LIVE_FEEDS_PER_CALLER', { infer: true }),
    },
    LiveFeedConnections,
  ],
  exports: [Refusals, FailedSignInsRepository, LiveFeedConnections],
})
export class ProtectionModule {}
