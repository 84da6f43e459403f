import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { TerminusModule } from '@nestjs/terminus';
import { AuthModule, tokenConfigFrom } from '@oversight/auth';
import { parseBrokerList } from '@oversight/messaging';
import { ActivePolicy, MessagingModule } from '@oversight/messaging-nest';
import { storeConnectionOptions } from '@oversight/persistence';
import { environmentModule, fetchLimitsFrom } from '@oversight/service-config';
import { DelegationsController } from './api/delegations.controller';
import { HealthController } from './api/health.controller';
import { ResolveTasksController } from './api/resolve-tasks.controller';
import { ReviewTasksController } from './api/review-tasks.controller';
import { EscalationEnvironment } from './config/escalation-environment';
import { DelegationRepository } from './delegation/delegation.repository';
import { DelegationRecord, DelegationSchema } from './delegation/delegation.schema';
import { NotificationDelivery } from './notifications/notification-delivery';
import { ReviewNotifier } from './notifications/review-notifier.handler';
import { ExecutionReportsHandler } from './resolution/execution-reports.handler';
import { ResolutionDesk } from './resolution/resolution-desk';
import {
  ResolveTaskClosed,
  ResolveTaskClosedSchema,
  ResolveTaskRecord,
  ResolveTaskRepository,
  ResolveTaskSchema,
} from './resolution/resolve-task.repository';
import { ReviewRequestedHandler } from './review-requested.handler';
import { ReviewClock } from './review/review-clock';
import { ReviewDesk } from './review/review-desk';
import { ReviewQueueMetrics } from './review/review-queue-metrics';
import { ReviewTaskRepository } from './review/review-task.repository';
import { ReviewTimerEntry, ReviewTimerSchema } from './review/review-timer.schema';
import { ReviewTimetable } from './review/review-timetable.repository';
import {
  ReviewTaskClosed,
  ReviewTaskClosedSchema,
  ReviewTaskRecord,
  ReviewTaskSchema,
  ReviewTaskVersion,
  ReviewTaskVersionSchema,
} from './review/review-task.schema';

@Module({
  imports: [
    environmentModule(EscalationEnvironment),
    TerminusModule,
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EscalationEnvironment, true>) => ({
        uri: config.get('MONGODB_URI', { infer: true }),
        ...storeConnectionOptions('escalation', config.get('STORE_COMMAND_LOG', { infer: true })),
      }),
    }),
    MongooseModule.forFeature([
      { name: ReviewTaskRecord.name, schema: ReviewTaskSchema },
      { name: ReviewTaskVersion.name, schema: ReviewTaskVersionSchema },
      { name: ReviewTaskClosed.name, schema: ReviewTaskClosedSchema },
      { name: ReviewTimerEntry.name, schema: ReviewTimerSchema },
      { name: DelegationRecord.name, schema: DelegationSchema },
      { name: ResolveTaskRecord.name, schema: ResolveTaskSchema },
      { name: ResolveTaskClosed.name, schema: ResolveTaskClosedSchema },
    ]),
    MessagingModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EscalationEnvironment, true>) => ({
        brokers: parseBrokerList(config.get('KAFKA_BROKERS', { infer: true })),
        clientId: config.get('KAFKA_CLIENT_ID', { infer: true }),
        fetch: fetchLimitsFrom(config),
      }),
    }),
    AuthModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EscalationEnvironment, true>) => ({
        tokens: tokenConfigFrom({
          AUTH_JWT_SECRET: config.get('AUTH_JWT_SECRET', { infer: true }),
          AUTH_JWKS_URL: config.get('AUTH_JWKS_URL', { infer: true }),
          AUTH_ISSUER: config.get('AUTH_ISSUER', { infer: true }),
          AUTH_AUDIENCE: config.get('AUTH_AUDIENCE', { infer: true }),
        }),
      }),
    }),
  ],
  controllers: [ReviewTasksController, ResolveTasksController, DelegationsController, HealthController],
  providers: [
    ActivePolicy,
    ReviewTaskRepository,
    ReviewTimetable,
    ReviewDesk,
    ReviewQueueMetrics,
    DelegationRepository,
    ReviewRequestedHandler,
    ReviewClock,
    NotificationDelivery,
    ReviewNotifier,
    ResolveTaskRepository,
    ResolutionDesk,
    ExecutionReportsHandler,
  ],
})
export class AppModule {}
