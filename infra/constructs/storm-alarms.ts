import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { type Alarm, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { METRIC_NAMES } from '../../functions/app/app-metrics.js';
import type { AlarmTopic } from './alarm-topic.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from './foghorn-function.js';

/** How old a queue's oldest message may get before someone should look, in seconds. */
export const OLDEST_MESSAGE_ALARM_SECONDS: Readonly<Record<string, number>> = {
  // Evaluate keeps up within a batch or two; five minutes behind is a storm it is not absorbing.
  events: 300,
  // Act defers some commands on purpose (a platform's Retry-After, a held post): fifteen minutes is past those.
  actions: 900,
};

export interface StormAlarmsProps {
  stage: string;
  api: HttpApi;
  /** The HTTP API's access log group, whose JSON lines (access-log-format.ts) carry each request's status. */
  accessLogs: LogGroup;
  functions: Readonly<Record<string, LambdaFunction>>;
  queues: Readonly<Record<string, Queue>>;
  table: Table;
  bus: IEventBus;
  /** Rules on the bus, each delivering to a queue with a dead-letter queue. */
  busRules: readonly Rule[];
  /** Rules on the default bus that start a function on a schedule. */
  scheduleRules: readonly Rule[];
}

/**
 * The alarms that see a storm while it happens, rather than when dead letters pile up a quarter of an hour later:
 * ingest answers 503 and the queue consumers report per-record failures, so Lambda's Errors stays 0 through
 * throttles and failed publishes. Each alarm notifies the topic; `perFunction` holds the ones a canary release of
 * that function is gated on.
 */
export function stormAlarms(topic: AlarmTopic, props: StormAlarmsProps): { perFunction: Record<string, Alarm[]> } {
  const minute = Duration.minutes(1);
  const fiveMinutes = Duration.minutes(5);

  topic.alarmAbove(
    'Api5xx',
    props.api.metricServerError({ period: minute, statistic: 'Sum' }),
    0,
    'The HTTP API answered 5xx: a function failed or was throttled (ingest answers 503 when the table or the bus refuses). The access log line has integrationError (docs/deploy.md).',
  );
  props.accessLogs.addMetricFilter('ThrottledRequests', {
    filterPattern: FilterPattern.numberValue('$.status', '=', 429),
    metricNamespace: METRICS_NAMESPACE,
    metricName: METRIC_NAMES.apiThrottled,
    metricValue: '1',
    dimensions: { api: '$.apiId' },
  });
  topic.alarmAbove(
    'Api429',
    new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: METRIC_NAMES.apiThrottled,
      dimensionsMap: { api: props.api.apiId },
      period: minute,
      statistic: 'Sum',
    }),
    0,
    "The HTTP API refused requests with 429: a route's throttle is holding a storm at the edge (the access log's routeKey says which platform). Platforms retry; raise that platform's throttle if the load is real (docs/deploy.md).",
  );

  for (const [name, queue] of Object.entries(props.queues)) {
    const seconds = OLDEST_MESSAGE_ALARM_SECONDS[name] ?? 300;
    topic.alarmAbove(
      `${pascal(name)}OldestMessage`,
      queue.metricApproximateAgeOfOldestMessage({ period: minute, statistic: 'Maximum' }),
      seconds,
      `The ${name} queue's oldest message is over ${seconds} s old: its consumer is not keeping up (throttled, failing, or at its maximum concurrency).`,
    );
  }

  const perFunction: Record<string, Alarm[]> = {};
  for (const [name, fn] of Object.entries(props.functions)) {
    const throttles = topic.alarmAbove(
      `${pascal(name)}Throttles`,
      fn.metricThrottles({ period: minute, statistic: 'Sum' }),
      0,
      `Lambda throttled the ${name} function: it is at its reserved concurrency (or the account's). Webhooks get 5xx, queue messages wait (docs/deploy.md).`,
    );
    const failedRecords = ['evaluate', 'act'].includes(name)
      ? [
          topic.alarmAbove(
            `${pascal(name)}FailedRecords`,
            new Metric({
              namespace: METRICS_NAMESPACE,
              metricName: METRIC_NAMES.queueRecords,
              dimensionsMap: { service: SERVICE_NAME, stage: props.stage, function: name, outcome: 'failed' },
              period: fiveMinutes,
              statistic: 'Sum',
            }),
            0,
            `The ${name} function reported messages it could not process (they are retried, then dead-lettered). Its log group says why.`,
          ),
        ]
      : [];
    perFunction[name] = [throttles, ...failedRecords];
  }

  const tableName = props.table.tableName;
  topic.alarmAbove('TableThrottles', dynamoThrottles({ TableName: tableName }), 0, dynamoDescription('the table'));
  for (const indexName of indexNamesOf(props.table)) {
    topic.alarmAbove(
      `${pascal(indexName)}Throttles`,
      dynamoThrottles({ TableName: tableName, GlobalSecondaryIndexName: indexName }),
      0,
      dynamoDescription(`the index ${indexName} (a hot partition key: its back-pressure throttles the table's writes too)`),
    );
  }

  for (const rule of props.busRules) {
    const dimensionsMap = { EventBusName: props.bus.eventBusName, RuleName: rule.ruleName };
    const id = pascal(rule.node.id);
    topic.alarmAbove(
      `${id}FailedInvocations`,
      eventsMetric('FailedInvocations', dimensionsMap),
      0,
      `EventBridge failed for good to deliver events of rule ${rule.node.id} to its queue: they went to the queue's dead letters or were lost.`,
    );
    topic.alarmAbove(
      `${id}DeadLetterInvocations`,
      eventsMetric('InvocationsSentToDlq', dimensionsMap),
      0,
      `EventBridge sent events of rule ${rule.node.id} to the dead-letter queue after 24 hours of retries: read them there and redrive (docs/deploy.md).`,
    );
  }
  for (const rule of props.scheduleRules) {
    topic.alarmAbove(
      `${pascal(rule.node.id)}FailedInvocations`,
      eventsMetric('FailedInvocations', { RuleName: rule.ruleName }),
      0,
      `EventBridge could not start the function of schedule ${rule.node.id} (throttled or refused): a run was skipped.`,
    );
  }
  return { perFunction };
}

/** Reads and writes DynamoDB refused for want of capacity on a partition, in a minute. */
function dynamoThrottles(dimensionsMap: Record<string, string>): MathExpression {
  const metric = (metricName: string) =>
    new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap, period: Duration.minutes(1), statistic: 'Sum' });
  return new MathExpression({
    expression: 'reads + writes',
    usingMetrics: { reads: metric('ReadThrottleEvents'), writes: metric('WriteThrottleEvents') },
    label: 'throttled reads and writes',
    period: Duration.minutes(1),
  });
}

function dynamoDescription(what: string): string {
  return `DynamoDB throttled reads or writes on ${what}: a hot key or a burst beyond on-demand's headroom. Ingest answers 503 and evaluate retries; see docs/deploy.md.`;
}

function eventsMetric(metricName: string, dimensionsMap: Record<string, string>): Metric {
  return new Metric({ namespace: 'AWS/Events', metricName, dimensionsMap, period: Duration.minutes(1), statistic: 'Sum' });
}

/** The table's global secondary indexes as they stand when the alarms are made (after every index is added). */
function indexNamesOf(table: Table): string[] {
  const indexes = Stack.of(table).resolve((table.node.defaultChild as CfnTable).globalSecondaryIndexes) as
    | Array<{ IndexName?: string; indexName?: string }>
    | undefined;
  return (indexes ?? []).map((index) => String(index.IndexName ?? index.indexName));
}

/** `social-events` → `SocialEvents`, for construct ids. */
function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
