import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  PeriodOverride,
  SingleValueWidget,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ACTION_METRIC_STATUSES, METRIC_NAMES } from '../../functions/app/app-metrics.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from './foghorn-function.js';
import type { QueueWithDeadLetters } from './queue-with-dead-letters.js';

export interface FoghornDashboardProps {
  dashboardName: string;
  /** The stage whose metrics are shown: the functions emit it as a dimension (FOGHORN_STAGE). */
  stage: string;
  /** The platforms registered for `/webhooks/{platform}` (functions/platforms/index.ts). */
  platforms: readonly string[];
  /** The stack's functions by topology name; evaluate and act are graphed when present. */
  functions: Readonly<Record<string, IFunction>>;
  queues: Readonly<Record<string, QueueWithDeadLetters>>;
}

const PERIOD = Duration.minutes(5);

/**
 * One CloudWatch dashboard per stage: webhooks per platform, evaluate and act latency, actions by status, the
 * dead letters, spikes and SLA breaches. The functions' own metrics (app-metrics.ts, written as EMF by Powertools)
 * carry the service and stage as dimensions; the rest are Lambda's and SQS's.
 */
export class FoghornDashboard extends Construct {
  readonly dashboard: Dashboard;
  readonly #stage: string;

  constructor(scope: Construct, id: string, props: FoghornDashboardProps) {
    super(scope, id);
    this.#stage = props.stage;
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(6),
      periodOverride: PeriodOverride.AUTO,
    });

    const webhooks = (outcome: 'accepted' | 'refused') =>
      [...props.platforms, 'unknown'].map((platform) =>
        this.metric(METRIC_NAMES.webhooks, { platform, outcome }, Stats.SUM, platform === 'unknown' ? 'not a platform' : platform),
      );
    const stageFunctions = ['evaluate', 'act'].flatMap((name) => (props.functions[name] ? [[name, props.functions[name]] as const] : []));

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Foghorn (${props.stage})\nWebhooks in, decisions, actions out. What to do when a number looks wrong: docs/deploy.md.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Webhooks per platform (accepted)', left: webhooks('accepted'), stacked: true, width: 12 }),
      new GraphWidget({ title: 'Webhooks refused (signature, size, unknown platform)', left: webhooks('refused'), width: 12 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Evaluate and act latency (per batch, ms)',
        left: stageFunctions.flatMap(([name, fn]) => [
          fn.metricDuration({ statistic: Stats.percentile(50), period: PERIOD, label: `${name} p50` }),
          fn.metricDuration({ statistic: Stats.percentile(99), period: PERIOD, label: `${name} p99` }),
        ]),
        width: 8,
      }),
      new GraphWidget({
        title: 'From decision to action (ms)',
        left: [Stats.percentile(50), Stats.percentile(99)].map((statistic) =>
          this.search(METRIC_NAMES.actionDelay, ['type'], {}, statistic, `${statistic} `),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Oldest message waiting (s)',
        left: Object.entries(props.queues).map(([name, { queue }]) =>
          queue.metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM, period: PERIOD, label: name }),
        ),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Actions by status',
        left: ACTION_METRIC_STATUSES.map((status) => this.totalOver(METRIC_NAMES.actions, ['status', 'type'], { status }, status)),
        stacked: true,
        width: 12,
      }),
      new GraphWidget({
        title: 'Dead letters waiting',
        left: Object.entries(props.queues).map(([name, { deadLetters }]) =>
          deadLetters.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM, period: Duration.minutes(1), label: name }),
        ),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Spikes',
        left: [
          this.metric(METRIC_NAMES.spikesOpened, {}, Stats.SUM, 'opened'),
          this.metric(METRIC_NAMES.spikesEnded, {}, Stats.SUM, 'ended (quiet)'),
        ],
        width: 8,
      }),
      new GraphWidget({ title: 'SLA breaches', left: [this.metric(METRIC_NAMES.slaBreaches, {}, Stats.SUM, 'timers fired')], width: 8 }),
      new SingleValueWidget({
        title: 'Last 24 hours',
        metrics: [
          this.metric(METRIC_NAMES.spikesOpened, {}, Stats.SUM, 'spikes', Duration.days(1)),
          this.metric(METRIC_NAMES.slaBreaches, {}, Stats.SUM, 'SLA breaches', Duration.days(1)),
          this.totalOver(METRIC_NAMES.actions, ['status', 'type'], { status: 'dead' }, 'dead actions', Duration.days(1)),
        ],
        width: 8,
      }),
    );
  }

  /** One of the functions' metrics, with the service and stage every one of them carries. */
  metric(name: string, dimensions: Record<string, string>, statistic: string, label: string, period: Duration = PERIOD): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { service: SERVICE_NAME, stage: this.#stage, ...dimensions },
      statistic,
      period,
      label,
    });
  }

  /**
   * Every series of a metric whose other dimensions vary (an action's type, say), found by CloudWatch's SEARCH, so a
   * new action type shows without a change here. `dimensions` lists all the metric's dimensions but service and stage.
   */
  search(name: string, dimensions: readonly string[], values: Record<string, string>, statistic: string, label: string): IMetric {
    return new MathExpression({ expression: this.#searchExpression(name, dimensions, values, statistic), label, period: PERIOD });
  }

  /** The sum of every series `search` would find. */
  totalOver(
    name: string,
    dimensions: readonly string[],
    values: Record<string, string>,
    label: string,
    period: Duration = PERIOD,
  ): IMetric {
    return new MathExpression({ expression: `SUM(${this.#searchExpression(name, dimensions, values, Stats.SUM, period)})`, label, period });
  }

  #searchExpression(
    name: string,
    dimensions: readonly string[],
    values: Record<string, string>,
    statistic: string,
    period = PERIOD,
  ): string {
    const schema = [METRICS_NAMESPACE, ...['service', 'stage', ...dimensions].sort()].join(',');
    const filters = Object.entries({ service: SERVICE_NAME, stage: this.#stage, ...values })
      .map(([key, value]) => `${key}="${value}"`)
      .join(' ');
    return `SEARCH('{${schema}} MetricName="${name}" ${filters}', '${statistic}', ${period.toSeconds()})`;
  }
}
