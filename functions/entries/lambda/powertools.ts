import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { AppLogger } from '../../app/adapters.js';
import { awsAdapters } from '../../app/aws-adapters.js';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'foghorn';

/** What every Lambda entry shares; nothing here touches AWS until a handler runs. */
export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ namespace: 'Foghorn', serviceName });
export const tracer = new Tracer({ serviceName });

const appLogger: AppLogger = {
  info: (message, detail = {}) => logger.info(message, detail),
  warn: (message, detail = {}) => logger.warn(message, detail),
  error: (message, detail = {}) => logger.error(message, detail),
};

/** The AWS adapters, built on the first invocation of a container, every SDK client traced. */
export const adapters = awsAdapters({ logger: appLogger, instrument: (client) => tracer.captureAWSv3Client(client) });

/** A handler with Powertools' tracing, Lambda context in the logs and metrics flushed after each invocation. */
export function lambdaHandler<Event, Result>(handler: (event: Event) => Promise<Result>) {
  return middy(handler).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
