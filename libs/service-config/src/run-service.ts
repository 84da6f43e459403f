import 'reflect-metadata';
import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { CommonEnvironment } from './common-environment';
import { createServiceLogger } from './service-logger';
import { validateEnvironment } from './validate-environment';

/**
 * Starts a service: validates its environment (stopping with every bad variable named), logs as configured,
 * and shuts down cleanly on SIGTERM/SIGINT. The "<name> service started" line is what process-level tests and
 * operators wait for.
 */
export function runService(name: string, module: unknown, environment: new () => CommonEnvironment): void {
  const start = async () => {
    const logger = createServiceLogger(name, validateEnvironment(environment)(process.env));
    const app = await NestFactory.createApplicationContext(module as never, { logger });
    app.enableShutdownHooks();
    logger.log(`${name} service started`);
  };
  start().catch((error) => {
    console.error(`${name} service failed to start: ${(error as Error).stack ?? error}`);
    process.exit(1);
  });
}

export interface HttpServiceOptions {
  port: number;
  host: string;
  /** Largest request body accepted; larger ones get 413. */
  bodyLimit?: string;
}

/**
 * Starts a service with an HTTP API: as runService, plus request bodies size-limited and validated against
 * their class-validator classes (unknown fields refused), answering 400 with every broken rule.
 */
export function runHttpService(
  name: string,
  module: unknown,
  environment: new () => CommonEnvironment,
  http: (env: CommonEnvironment) => HttpServiceOptions,
): void {
  const start = async () => {
    const env = validateEnvironment(environment)(process.env);
    const logger = createServiceLogger(name, env);
    const options = http(env);
    const app = await NestFactory.create<NestExpressApplication>(module as never, {
      logger,
      bodyParser: false,
    });
    app.useBodyParser('json', { limit: options.bodyLimit ?? '256kb' });
    app.useGlobalPipes(
      new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
        exceptionFactory: (errors) => {
          const problems = flattenProblems(errors);
          return new BadRequestException({
            statusCode: 400,
            error: 'Bad Request',
            message: problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
            problems,
          });
        },
      }),
    );
    app.enableShutdownHooks();
    await app.listen(options.port, options.host);
    logger.log(`${name} service started on http://${options.host}:${options.port}`);
  };
  start().catch((error) => {
    console.error(`${name} service failed to start: ${(error as Error).stack ?? error}`);
    process.exit(1);
  });
}

/** Every broken rule of a request, as the field's dotted path and the rule's message. */
export function flattenProblems(errors: ValidationError[], prefix = ''): { field: string; reason: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flattenProblems(error.children ?? [], field)];
  });
}
