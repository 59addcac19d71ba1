import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sweepStage } from '../../app/sweep-handler.js';
import { lambdaAdapters, lambdaHandler, logger, metrics, yamlTeamConfig } from './powertools.js';

export const handler = lambdaHandler(
  sweepStage(lambdaAdapters({ yamlTeamConfig }), (report) => {
    metrics.addMetric('SlaTimersFired', MetricUnit.Count, report.timersFired);
    metrics.addMetric('SpikeEpisodesEnded', MetricUnit.Count, report.episodesEnded);
    if (report.timersFired + report.episodesEnded + report.approvalsExpired > 0) logger.info('crisis sweep', { ...report });
  }),
);
