import { METRIC_NAMES } from '../../app/app-metrics.js';
import { sweepStage } from '../../app/sweep-handler.js';
import { appMetrics, lambdaAdapters, lambdaHandler, logger, yamlTeamConfig } from './powertools.js';

export const handler = lambdaHandler(
  sweepStage(lambdaAdapters({ yamlTeamConfig }), (report) => {
    appMetrics.count(METRIC_NAMES.slaBreaches, {}, report.timersFired);
    appMetrics.count(METRIC_NAMES.spikesEnded, {}, report.episodesEnded);
    if (report.timersFired + report.episodesEnded + report.approvalsExpired > 0) logger.info('crisis sweep', { ...report });
  }),
);
