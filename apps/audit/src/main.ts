import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createServiceLogger, validateEnvironment } from '@oversight/service-config';
import { AppModule } from './app.module';
import { AuditEnvironment } from './config/audit-environment';

async function bootstrap() {
  const logger = createServiceLogger('audit', validateEnvironment(AuditEnvironment)(process.env));
  const app = await NestFactory.createApplicationContext(AppModule, { logger });
  app.enableShutdownHooks();
  logger.log('audit service started');
}

bootstrap().catch((error) => {
  console.error(`audit service failed to start: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
