import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CallerLimitGuard } from './request-limit.guards';

/**
 * The per-caller limit as a global guard. Nest runs global guards in the order their modules are scanned, and
 * this module is imported after AuthModule, so the caller is known when it counts (the gateway's e2e checks
 * that two tokens of one person share one allowance).
 */
@Module({ providers: [{ provide: APP_GUARD, useClass: CallerLimitGuard }] })
export class CallerLimitsModule {}
