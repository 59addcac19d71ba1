import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logger, metrics, tracer } from '../aws/lambda-runtime.js';
import { awsCrisisKit } from '../crisis/aws/aws-crisis-kit.js';
import { createSweepHandler } from './sweep-handler.js';

// Needs TABLE_NAME, BUS_NAME, ACTIONS_QUEUE_URL, FOGHORN_SECRET_ARN (and the bundled config); schedule: rate(1 minute).
export const handler = middy(createSweepHandler(awsCrisisKit, (report) => {
  metrics.addMetric('SlaTimersFired', MetricUnit.Count, report.timersFired);
  metrics.addMetric('SpikeEpisodesEnded', MetricUnit.Count, report.episodesEnded);
  if (report.timersFired + report.episodesEnded + report.approvalsExpired > 0) logger.info('crisis sweep', { ...report });
}))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
