import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { storeConnectionOptions } from '@oversight/persistence';
import { parseBrokerList } from '@oversight/messaging';
import { HaltsInForce, MessagingModule } from '@oversight/messaging-nest';
import { environmentModule, fetchLimitsFrom } from '@oversight/service-config';
import { RoutingEnvironment } from './config/routing-environment';
import { DecisionScoredHandler } from './decision-scored.handler';
import { RoutingClaims } from './routing-claims';
import { RoutingLedgerRepository } from './routing-ledger.repository';
import {
  RoutingCheckpoint,
  RoutingCheckpointSchema,
  RoutingLedgerEntry,
  RoutingLedgerSchema,
} from './routing-ledger.schema';

@Module({
  imports: [
    environmentModule(RoutingEnvironment),
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<RoutingEnvironment, true>) => ({
        uri: config.get('MONGODB_URI', { infer: true }),
        ...storeConnectionOptions('routing', config.get('STORE_COMMAND_LOG', { infer: true })),
      }),
    }),
    MongooseModule.forFeature([
      { name: RoutingLedgerEntry.name, schema: RoutingLedgerSchema },
      { name: RoutingCheckpoint.name, schema: RoutingCheckpointSchema },
    ]),
    MessagingModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<RoutingEnvironment, true>) => ({
        brokers: parseBrokerList(config.get('KAFKA_BROKERS', { infer: true })),
        clientId: config.get('KAFKA_CLIENT_ID', { infer: true }),
        fetch: fetchLimitsFrom(config),
      }),
    }),
  ],
  providers: [HaltsInForce, RoutingLedgerRepository, RoutingClaims, DecisionScoredHandler],
})
export class AppModule {}
