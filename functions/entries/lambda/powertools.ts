import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Adapters } from '../../app/adapters.js';
import { type AppMetrics, METRIC_NAMES } from '../../app/app-metrics.js';
import { type AwsAdapterOptions, awsAdapters } from '../../app/aws-adapters.js';
import { appLoggerOf, logLevelFrom, powertoolsLogger } from '../../app/logger.js';
import { lazyTracer, traceLambdaHandler, tracingWanted } from './tracing.js';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'foghorn';

/**
 * What every Lambda entry shares; nothing here touches AWS until a handler runs. The log level: FOGHORN_LOG_LEVEL
 * as locally, else Powertools' own settings (POWERTOOLS_LOG_LEVEL, the function's log level).
 */
export const logger = powertoolsLogger(process.env.FOGHORN_LOG_LEVEL ? logLevelFrom(process.env) : undefined, serviceName);
// The stage (FOGHORN_STAGE, set by the stack) tells apart the metrics of stages sharing an account and region.
export const metrics = new Metrics({
  namespace: 'Foghorn',
  serviceName,
  defaultDimensions: { stage: process.env.FOGHORN_STAGE ?? 'prod' },
});
// Imported on the first invocation that traces: with tracing off the X-Ray SDK is never loaded.
const tracer = lazyTracer(serviceName);

const appLogger = appLoggerOf(logger);

/**
 * The assembly's metrics as EMF lines. A count without dimensions is summed and written once after the invocation;
 * one with dimensions is written at once on a line of its own, since Powertools gives one set of dimensions to all the
 * metrics it holds.
 */
export const appMetrics: AppMetrics = {
  count: (name, dimensions = {}, value = 1) => emit(name, MetricUnit.Count, value, dimensions),
  milliseconds: (name, ms, dimensions = {}) => emit(name, MetricUnit.Milliseconds, ms, dimensions),
};

function emit(
  name: string,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit],
  value: number,
  dimensions: Readonly<Record<string, string>>,
): void {
  if (Object.keys(dimensions).length === 0) {
    metrics.addMetric(name, unit, value);
    return;
  }
  const single = metrics.singleMetric();
  single.addDimensions({ ...dimensions });
  single.addMetric(name, unit, value);
}

/**
 * Writes the metrics an invocation held, after it or when it failed. Unlike Powertools' logMetrics, an invocation
 * that held none writes nothing, not even the warning "No application metrics to publish".
 */
export function flushMetrics(target: Metrics = metrics): MiddlewareObj {
  const flush = async () => {
    if (target.hasStoredMetrics()) target.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}

/**
 * The AWS adapters, built on the first invocation of a container, every SDK client traced when tracing is on.
 * An entry that reads a team config by hand in YAML passes `yamlTeamConfig`; without it the bundle carries no
 * YAML parser.
 */
export function lambdaAdapters(options: Pick<AwsAdapterOptions, 'yamlTeamConfig'> = {}): () => Promise<Adapters> {
  let adapters: (() => Promise<Adapters>) | undefined;
  return async () => {
    if (adapters === undefined) {
      const traced = await tracer();
      adapters ??= awsAdapters({
        logger: appLogger,
        metrics: appMetrics,
        ...(traced === undefined ? {} : { instrument: (client) => traced.captureAWSv3Client(client) }),
        ...options,
      });
    }
    return adapters();
  };
}

/** The YAML team config reader, imported on first use only (FOGHORN_CONFIG set by hand). */
export const yamlTeamConfig: AwsAdapterOptions['yamlTeamConfig'] = async (env) =>
  (await import('../../app/bundled-team-config.js')).readBundledTeamConfig(env);

/**
 * A handler with Lambda context in the logs, metrics flushed after each invocation, and Powertools'
 * tracing unless it is switched off (POWERTOOLS_TRACE_ENABLED=false, the stack's `tracing: false`).
 */
export function lambdaHandler<Event, Result>(handler: (event: Event) => Promise<Result>) {
  return middy(tracingWanted() ? traceLambdaHandler(handler, tracer) : handler)
    .use(injectLambdaContext(logger))
    .use(flushMetrics());
}

/**
 * A queue consumer that counts its batch's outcome (QueueRecords by `function` and `outcome`): a failed record is
 * retried by SQS, so Lambda's Errors never sees it; this count is what an alarm (and a canary) can watch.
 */
export function countingRecords<Event extends { Records: readonly unknown[] }, Result extends { batchItemFailures: readonly unknown[] }>(
  functionName: string,
  handler: (event: Event) => Promise<Result>,
  metricsOf: AppMetrics = appMetrics,
): (event: Event) => Promise<Result> {
  return async (event) => {
    const result = await handler(event);
    const failed = result.batchItemFailures.length;
    const processed = Math.max(0, event.Records.length - failed);
    if (processed > 0) metricsOf.count(METRIC_NAMES.queueRecords, { function: functionName, outcome: 'processed' }, processed);
    if (failed > 0) metricsOf.count(METRIC_NAMES.queueRecords, { function: functionName, outcome: 'failed' }, failed);
    return result;
  };
}
