import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { TerminusModule } from '@nestjs/terminus';
import { AuditTrailReadModule } from '@oversight/audit-trail';
import { AuthModule, tokenConfigFrom } from '@oversight/auth';
import { LearningStoreModule } from '@oversight/learning-store';
import { ControlClient } from '@oversight/control';
import { EventPublisher, parseBrokerList } from '@oversight/messaging';
import { ActivePolicy, HaltsInForce, MessagingModule } from '@oversight/messaging-nest';
import { storeConnectionOptions } from '@oversight/persistence';
import { environmentModule, fetchLimitsFrom } from '@oversight/service-config';
import { GatewayEnvironment } from './config/gateway-environment';
import { AuditController } from './audit/audit.controller';
import { ConsoleModule } from './console/console.module';
import { ControlController } from './control/control.controller';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DecisionsController } from './decisions/decisions.controller';
import { RegressionModule } from './regression/regression.module';
import { GATEWAY_PRODUCER } from './decisions/decision-submission';
import { BrokerHealthIndicator } from './health/broker.health';
import { DecisionEventsController } from './live/decision-events.controller';
import { DecisionFeed } from './live/decision-feed';
import { ReviewFeed } from './reviews/review-feed';
import { ReviewServiceClient } from './reviews/review-service.client';
import { ResolveTasksController } from './reviews/resolve-tasks.controller';
import { ReviewsController } from './reviews/reviews.controller';
import { SessionsController } from './sessions.controller';
import { HealthController } from './health/health.controller';
import { OperationsController } from './operations/operations.controller';
import { PrometheusClient } from './operations/prometheus-client';
import { OversightController } from './oversight/oversight.controller';
import { CallerLimitsModule } from './protection/caller-limits.module';
import { ProtectionModule } from './protection/protection.module';

@Module({
  imports: [
    environmentModule(GatewayEnvironment),
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnvironment, true>) => ({
        uri: config.get('MONGODB_URI', { infer: true }),
        ...storeConnectionOptions('gateway', config.get('STORE_COMMAND_LOG', { infer: true })),
      }),
    }),
    MessagingModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnvironment, true>) => ({
        brokers: parseBrokerList(config.get('KAFKA_BROKERS', { infer: true })),
        clientId: config.get('KAFKA_CLIENT_ID', { infer: true }),
        fetch: fetchLimitsFrom(config),
      }),
    }),
    // Before AuthModule, and CallerLimitsModule after it: global guards run in the order their modules load.
    ProtectionModule,
    AuthModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnvironment, true>) => ({
        tokens: tokenConfigFrom({
          AUTH_JWT_SECRET: config.get('AUTH_JWT_SECRET', { infer: true }),
          AUTH_JWKS_URL: config.get('AUTH_JWKS_URL', { infer: true }),
          AUTH_ISSUER: config.get('AUTH_ISSUER', { infer: true }),
          AUTH_AUDIENCE: config.get('AUTH_AUDIENCE', { infer: true }),
        }),
      }),
    }),
    CallerLimitsModule,
    AuditTrailReadModule,
    LearningStoreModule,
    TerminusModule.forRoot({ logger: false }),
    ConsoleModule,
    RegressionModule,
  ],
  controllers: [
    HealthController,
    DecisionsController,
    DecisionEventsController,
    AuditController,
    ControlController,
    DeadLettersController,
    ReviewsController,
    ResolveTasksController,
    SessionsController,
    OversightController,
    OperationsController,
  ],
  providers: [
    ActivePolicy,
    {
      provide: ControlClient,
      inject: [EventPublisher],
      useFactory: (publisher: EventPublisher) => new ControlClient(publisher, GATEWAY_PRODUCER),
    },
    HaltsInForce,
    ReviewServiceClient,
    ReviewFeed,
    DecisionFeed,
    BrokerHealthIndicator,
    PrometheusClient,
  ],
})
export class AppModule {}
