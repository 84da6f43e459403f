import { Logger } from '@nestjs/common';
import { MessagingLogger } from '@oversight/messaging';

/** Lets the Kafka lib log through Nest's logger, keeping its structured fields. */
export function nestMessagingLogger(context: string): MessagingLogger {
  const logger = new Logger(context);
  const entry = (message: string, fields?: Record<string, unknown>) =>
    fields ? { message, ...fields } : message;
  return {
    debug: (message, fields) => logger.debug(entry(message, fields)),
    info: (message, fields) => logger.log(entry(message, fields)),
    warn: (message, fields) => logger.warn(entry(message, fields)),
    error: (message, fields) => logger.error(entry(message, fields)),
  };
}
