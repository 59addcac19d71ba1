import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sweepStage } from '../../app/sweep-handler.js';
import { lambdaAdapters, lambdaHandler, logger, metrics, yamlTeamConfig } from './powertools.js';

export const handler = lambdaHandler(
  sweepStage(lambdaAdapters({ yamlTeamConfig }), (report) => {
    metrics.addMetric('SlaTimersFired', MetricUnit.Count, report.timersFired);
    metrics.addMetric('SpikeEpisodesEnded', MetricUnit.Count, report.episodesEnded);
    metrics.addMetric('ScheduledPostsPublished', MetricUnit.Count, report.postsPublished);
    metrics.addMetric('ScheduledPostsSuspended', MetricUnit.Count, report.postsSuspended);
    const changed = report.timersFired + report.episodesEnded + report.approvalsExpired + report.postsPublished + report.postsSuspended;
    if (changed > 0) logger.info('crisis sweep', { ...report });
  }),
);
