import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Adapters } from '../../app/adapters.js';
import { type AwsAdapterOptions, awsAdapters } from '../../app/aws-adapters.js';
import { appLoggerOf, logLevelFrom, powertoolsLogger } from '../../app/logger.js';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'foghorn';

/**
 * What every Lambda entry shares; nothing here touches AWS until a handler runs. The log level: FOGHORN_LOG_LEVEL
 * as locally, else Powertools' own settings (POWERTOOLS_LOG_LEVEL, the function's log level).
 */
export const logger = powertoolsLogger(process.env.FOGHORN_LOG_LEVEL ? logLevelFrom(process.env) : undefined, serviceName);
export const metrics = new Metrics({ namespace: 'Foghorn', serviceName });
export const tracer = new Tracer({ serviceName });

const appLogger = appLoggerOf(logger);

/**
 * The AWS adapters, built on the first invocation of a container, every SDK client traced (Powertools
 * leaves a client as it is when POWERTOOLS_TRACE_ENABLED is false). An entry that reads a team config
 * by hand in YAML passes `yamlTeamConfig`; without it the bundle carries no YAML parser.
 */
export function lambdaAdapters(options: Pick<AwsAdapterOptions, 'yamlTeamConfig'> = {}): () => Promise<Adapters> {
  return awsAdapters({ logger: appLogger, instrument: (client) => tracer.captureAWSv3Client(client), ...options });
}

/** The YAML team config reader, imported on first use only (FOGHORN_CONFIG set by hand). */
export const yamlTeamConfig: AwsAdapterOptions['yamlTeamConfig'] = async (env) =>
  (await import('../../app/bundled-team-config.js')).readBundledTeamConfig(env);

/**
 * A handler with Lambda context in the logs, metrics flushed after each invocation, and Powertools'
 * tracing unless it is switched off (POWERTOOLS_TRACE_ENABLED=false, the stack's `tracing: false`).
 */
export function lambdaHandler<Event, Result>(handler: (event: Event) => Promise<Result>) {
  const traced = tracer.isTracingEnabled() ? middy(handler).use(captureLambdaHandler(tracer)) : middy(handler);
  return traced.use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
