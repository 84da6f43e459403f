import { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnvironment } from './validate-environment';

/**
 * The global ConfigModule of a program, from its environment class: the process environment only (no .env
 * file), validated at start-up, injectable everywhere as ConfigService.
 */
export function environmentModule<T extends object>(schema: new () => T): Promise<DynamicModule> {
  return ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnvironment(schema) });
}
