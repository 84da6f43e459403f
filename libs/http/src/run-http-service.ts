import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { flattenValidationErrors, toProblems } from '@oversight/contracts';
import {
  CommonEnvironment,
  createServiceLogger,
  serviceEnvironment,
  startOperations,
} from '@oversight/service-config';
import { HttpErrorFilter } from './http-error.filter';
import { bodyParserErrors, MAX_BODY, requireJson } from './json-body';
import { ValidationFailed } from './problems';

export interface HttpServiceOptions {
  port: number;
  host: string;
  /** Anything more the app needs before it listens (the gateway's API docs). */
  configure?: (app: NestExpressApplication) => void;
}

/**
 * Starts a service with an HTTP API, as runService does one without: environment validated first, logs as
 * configured, clean shutdown. Every such API takes JSON only (415), at most 256 KiB (413), validates request
 * classes with unknown fields refused (400 listing every problem) and answers errors in one shape. The
 * "<name> service started" line comes once it listens.
 */
export function runHttpService<E extends CommonEnvironment>(
  name: string,
  module: unknown,
  environment: new () => E,
  http: (env: E) => HttpServiceOptions,
): void {
  const start = async () => {
    const env = serviceEnvironment(name, environment);
    const logger = createServiceLogger(name, env);
    const operations = await startOperations(name, env, logger);
    const options = http(env);
    const app = await NestFactory.create<NestExpressApplication>(module as never, {
      logger,
      bodyParser: false,
    });
    app.disable('x-powered-by');
    app.use(requireJson);
    app.useBodyParser('json', { limit: MAX_BODY });
    app.use(bodyParserErrors);
    app.useGlobalFilters(new HttpErrorFilter());
    app.useGlobalPipes(
      new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
        exceptionFactory: (errors) => {
          const problems = toProblems(flattenValidationErrors(errors));
          return new ValidationFailed(problems.map((p) => `${p.field}: ${p.reason}`).join('; '), problems);
        },
      }),
    );
    options.configure?.(app);
    app.enableShutdownHooks();
    await app.listen(options.port, options.host);
    operations.markReady();
    logger.log(`${name} service started on http://${options.host}:${options.port}`);
  };
  start().catch((error) => {
    console.error(`${name} service failed to start: ${(error as Error).stack ?? error}`);
    process.exit(1);
  });
}
