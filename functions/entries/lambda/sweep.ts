import { METRIC_NAMES } from '../../app/app-metrics.js';
import { sweepStage } from '../../app/sweep-handler.js';
import { appMetrics, lambdaAdapters, lambdaHandler, logger, yamlTeamConfig } from './powertools.js';

export const handler = lambdaHandler(
  sweepStage(lambdaAdapters({ yamlTeamConfig }), (report) => {
    appMetrics.count(METRIC_NAMES.slaBreaches, {}, report.timersFired);
    appMetrics.count(METRIC_NAMES.spikesEnded, {}, report.episodesEnded);
    appMetrics.count(METRIC_NAMES.postsPublished, {}, report.postsPublished);
    appMetrics.count(METRIC_NAMES.postsSuspended, {}, report.postsSuspended);
    const changed = report.timersFired + report.episodesEnded + report.approvalsExpired + report.postsPublished + report.postsSuspended;
    if (changed > 0) logger.info('crisis sweep', { ...report });
  }),
);
