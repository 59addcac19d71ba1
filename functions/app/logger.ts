import { Logger } from '@aws-lambda-powertools/logger';
import { FoghornError } from '../core/errors.js';
import type { AppLogger } from './adapters.js';

/**
 * The assembly's logger on both runtimes: Powertools Logger, one JSON object a line (`level`, `message`,
 * `timestamp`, `service`, then the detail's fields), so a line from `npm start` reads like one from CloudWatch.
 * FOGHORN_LOG_LEVEL sets the level (debug, info, warn, error; info by default); debug and info go to stdout,
 * warn and error to stderr. Lambda adds its context (function, request id) to the same shape.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

export class LogLevelError extends FoghornError {
  constructor(value: string) {
    super(`FOGHORN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${value}'`, { status: 400 });
  }
}

/** FOGHORN_LOG_LEVEL, case-insensitive; absent or empty is info, anything else unknown is refused. */
export function logLevelFrom(env: Readonly<Record<string, string | undefined>>): LogLevel {
  const raw = env.FOGHORN_LOG_LEVEL?.trim();
  if (raw === undefined || raw === '') return DEFAULT_LOG_LEVEL;
  const level = raw.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new LogLevelError(raw);
  return level as LogLevel;
}

/** A Powertools Logger for the service at `level`; without one, at Powertools' own (POWERTOOLS_LOG_LEVEL, Lambda's). */
export function powertoolsLogger(level: LogLevel | undefined, serviceName = 'foghorn'): Logger {
  return new Logger({ serviceName, ...(level ? { logLevel: level.toUpperCase() as Uppercase<LogLevel> } : {}) });
}

/**
 * The AppLogger over a Powertools Logger. `debug` is there only when the logger prints debug lines, so the
 * per-event and per-action lines (debug-logging.ts) cost nothing at the other levels.
 */
export function appLoggerOf(logger: Logger): AppLogger {
  const appLogger: AppLogger = {
    info: (message, detail = {}) => logger.info(message, detail),
    warn: (message, detail = {}) => logger.warn(message, detail),
    error: (message, detail = {}) => logger.error(message, detail),
  };
  if (logger.getLevelName() === 'DEBUG') appLogger.debug = (message, detail = {}) => logger.debug(message, detail);
  return appLogger;
}
