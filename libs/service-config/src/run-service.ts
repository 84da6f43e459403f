import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CommonEnvironment } from './common-environment';
import { createServiceLogger } from './service-logger';
import { serviceEnvironment, startOperations } from './operations';

/**
 * Starts a service: validates its environment (stopping with every bad variable named), logs as configured,
 * serves its metrics and health on its operations listener, and shuts down cleanly on SIGTERM/SIGINT. The "<name> service started" line is what process-level tests and
 * operators wait for.
 */
export function runService(name: string, module: unknown, environment: new () => CommonEnvironment): void {
  const start = async () => {
    const env = serviceEnvironment(name, environment);
    const logger = createServiceLogger(name, env);
    const operations = await startOperations(name, env, logger);
    const app = await NestFactory.createApplicationContext(module as never, { logger });
    app.enableShutdownHooks();
    operations.markReady();
    logger.log(`${name} service started`);
  };
  start().catch((error) => {
    console.error(`${name} service failed to start: ${(error as Error).stack ?? error}`);
    process.exit(1);
  });
}
