import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createServiceLogger, validateEnvironment } from '@oversight/service-config';
import { AppModule } from './app.module';
import { GatewayEnvironment } from './config/gateway-environment';
import { configureHttpApp } from './http-app';

/** Like runService, over HTTP: the "gateway service started" line comes once it listens. */
async function start() {
  const env = validateEnvironment(GatewayEnvironment)(process.env);
  const logger = createServiceLogger('gateway', env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger, bodyParser: false });
  configureHttpApp(app);
  app.enableShutdownHooks();
  await app.listen(env.GATEWAY_PORT, env.GATEWAY_HOST);
  logger.log(`gateway service started on http://${env.GATEWAY_HOST}:${env.GATEWAY_PORT} (API docs at /docs)`);
}

start().catch((error) => {
  console.error(`gateway service failed to start: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
