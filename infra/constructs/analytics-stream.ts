import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ANALYTICS_STREAM } from '../../functions/app/topology.js';
import type { AlarmTopic } from './alarm-topic.js';
import { type BundledPath, FoghornFunction } from './foghorn-function.js';

export interface AnalyticsStreamProps {
  /** The table, with its stream on (NEW_AND_OLD_IMAGES). */
  table: Table;
  alarms: AlarmTopic;
  functionName?: string;
  deadLettersName?: string;
  stage?: string;
  /** The team config (the response target) as the other functions get it: the bundled JSON and its path. */
  teamConfig: { bundled: BundledPath; path: string };
  logRetention?: RetentionDays;
  encryptionKey?: IKey;
  tracing?: boolean;
}

/** How the analytics function reads the stream (functions/app/topology.ts); pinned in test/infra/analytics-stream.test.ts. */
export { ANALYTICS_STREAM };

/**
 * The response-time analytics, off the pipeline: the table's stream feeds the analytics function
 * (functions/entries/lambda/analytics.ts), filtered to the changes it folds (a decision put; an action completed
 * as succeeded, which a reply's claim gave its answer; a conversation's owner put or changed), in batches whose hour buckets are each written once. It may
 * only update clocks and buckets (UpdateItem under those leading keys). A batch that keeps failing is split
 * (bisect), reported from the first record to fold again, and after its retries goes to its own dead-letter queue,
 * which alarms, as does a stream falling behind.
 */
export class AnalyticsStream extends Construct {
  readonly function: FoghornFunction;
  readonly deadLetters: Queue;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: AnalyticsStreamProps) {
    super(scope, id);
    const stream = props.table.tableStreamArn;
    if (!stream) throw new Error('AnalyticsStream: the table needs its stream on (stream: NEW_AND_OLD_IMAGES)');
    this.deadLetters = new Queue(this, 'DeadLetters', {
      ...(props.deadLettersName ? { queueName: props.deadLettersName } : {}),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the stream mapping's on-failure destination (Lambda writes what it gave up on here): it is the dead-letter queue, and it alarms.",
    });
    this.function = new FoghornFunction(this, 'Function', {
      ...(props.functionName ? { functionName: props.functionName } : {}),
      ...(props.stage ? { stage: props.stage } : {}),
      entry: 'functions/entries/lambda/analytics.ts',
      description: "Folds the table's stream into the response-time analytics (clocks and hour buckets)",
      timeout: Duration.seconds(ANALYTICS_STREAM.timeoutSeconds),
      memorySize: ANALYTICS_STREAM.memoryMb,
      environment: { TABLE_NAME: props.table.tableName, FOGHORN_TEAM_CONFIG: props.teamConfig.path },
      bundledPaths: [props.teamConfig.bundled],
      tracing: props.tracing !== false,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
    });
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...ANALYTICS_STREAM.leadingKeys] } },
      }),
    );
    if (props.encryptionKey)
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [props.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: ANALYTICS_STREAM.batchSize,
        maxBatchingWindow: Duration.seconds(ANALYTICS_STREAM.maxBatchingWindowSeconds),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: ANALYTICS_STREAM.retryAttempts,
        // One batch at a time per shard: the bucket marks rely on a shard's records coming in order.
        parallelizationFactor: 1,
        tumblingWindow: Duration.seconds(ANALYTICS_STREAM.tumblingWindowSeconds),
        onFailure: new SqsDlq(this.deadLetters),
        filters: ANALYTICS_STREAM.filters.map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );
    this.alarms = [
      props.alarms.alarmAbove(
        'AnalyticsDeadLetters',
        this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        0,
        "Stream batches the analytics function gave up on are waiting in its dead-letter queue: their figures are missing. The function's log group has the error (docs/analytics.md).",
      ),
      props.alarms.alarmAbove(
        'AnalyticsIteratorAge',
        this.function.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }),
        15 * 60_000,
        'The analytics function is more than 15 minutes behind the table stream: the analytics lag (docs/analytics.md).',
      ),
      props.alarms.alarmAbove(
        'AnalyticsErrors',
        this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        0,
        'The analytics function threw or timed out in the last 5 minutes. Its log group has the error (docs/analytics.md).',
      ),
    ];
  }
}
