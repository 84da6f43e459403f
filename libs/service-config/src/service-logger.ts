import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { CommonEnvironment } from './common-environment';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The logger every service starts with: JSON lines by default, and LOG_LEVEL and everything more severe. */
export function createServiceLogger(service: string, env: CommonEnvironment): ConsoleLogger {
  return new ConsoleLogger(service, {
    json: env.LOG_FORMAT === 'json',
    // Text mode too keeps one record per line, structured fields inline.
    compact: true,
    breakLength: Infinity,
    logLevels: LEVELS.slice(0, LEVELS.indexOf(env.LOG_LEVEL as LogLevel) + 1),
  });
}
