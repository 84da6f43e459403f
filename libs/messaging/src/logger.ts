import { logLevel, LogEntry } from 'kafkajs';

/** What the messaging lib needs from a logger; Nest's Logger, pino and console all fit through an adapter. */
export interface MessagingLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const CONCURRENT_TRANSACTIONS = /another concurrent operation on the same transaction/;

/** Routes kafkajs's own log lines into ours, so one service has one log stream. */
export function kafkajsLogCreator(logger: MessagingLogger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...fields } = log;
      const line = `kafkajs: ${message}`;
      // A transaction begun while the broker still writes the last one's markers: retried within milliseconds.
      if (CONCURRENT_TRANSACTIONS.test(`${message} ${String(fields.error ?? '')}`))
        logger.debug(line, fields);
      else if (level === logLevel.ERROR) logger.error(line, fields);
      else if (level === logLevel.WARN) logger.warn(line, fields);
      else if (level === logLevel.INFO) logger.info(line, fields);
      else logger.debug(line, fields);
    };
}

export const consoleLogger: MessagingLogger = {
  debug: () => undefined,
  info: (message, fields) => console.log(message, fields ?? ''),
  warn: (message, fields) => console.warn(message, fields ?? ''),
  error: (message, fields) => console.error(message, fields ?? ''),
};
