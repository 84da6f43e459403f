import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { parseBrokerList } from '@oversight/messaging';
import { ActivePolicy, MessagingModule } from '@oversight/messaging-nest';
import { environmentModule, fetchLimitsFrom } from '@oversight/service-config';
import { ScoringEnvironment } from './config/scoring-environment';
import { DecisionProposedHandler } from './decision-proposed.handler';

@Module({
  imports: [
    environmentModule(ScoringEnvironment),
    MessagingModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<ScoringEnvironment, true>) => ({
        brokers: parseBrokerList(config.get('KAFKA_BROKERS', { infer: true })),
        clientId: config.get('KAFKA_CLIENT_ID', { infer: true }),
        fetch: fetchLimitsFrom(config),
      }),
    }),
  ],
  providers: [ActivePolicy, DecisionProposedHandler],
})
export class AppModule {}
