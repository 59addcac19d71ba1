import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../functions/app/app-metrics.js';
import { OLDEST_MESSAGE_ALARM_SECONDS } from '../../infra/constructs/storm-alarms.js';
import { type Synthesised, synthesise } from './synth.js';

type Alarm = Record<string, any>;

let synth: Synthesised;
let alarms: Alarm[];
beforeAll(async () => {
  synth = await synthesise({ bundle: false });
  alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties as Alarm);
}, 180_000);
afterAll(() => synth?.dispose());

/** CloudFormation's form of a metric's dimensions: sorted by name. */
const dims = (pairs: Record<string, unknown>) =>
  Object.entries(pairs)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([Name, Value]) => ({ Name, Value }));
/** The alarms on one metric with exactly these dimensions, firing above `threshold`. */
const alarmsOn = (namespace: string, metricName: string, dimensions: Record<string, unknown>, threshold = 0) =>
  alarms.filter(
    (alarm) =>
      alarm.Namespace === namespace &&
      alarm.MetricName === metricName &&
      JSON.stringify(alarm.Dimensions) === JSON.stringify(dims(dimensions)) &&
      alarm.Threshold === threshold &&
      alarm.ComparisonOperator === 'GreaterThanThreshold',
  );

describe('stormAlarms', () => {
  it('sends every alarm to the topic, when it fires and when it clears', () => {
    const topic = { Ref: synth.logicalId(synth.stack.alarms.topic) };
    expect(alarms.length).toBeGreaterThan(10);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions, alarm.AlarmDescription).toEqual([topic]);
      expect(alarm.OKActions, alarm.AlarmDescription).toEqual([topic]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it("alarms on the HTTP API's 5xx, and on its 429s counted from the access log", () => {
    const apiId = { Ref: synth.logicalId(synth.stack.api) };
    expect(alarmsOn('AWS/ApiGateway', '5xx', { ApiId: apiId })).toHaveLength(1);
    expect(alarmsOn('Foghorn', METRIC_NAMES.apiThrottled, { api: apiId })).toHaveLength(1);
    synth.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = 429 }',
      MetricTransformations: [
        {
          MetricNamespace: 'Foghorn',
          MetricName: METRIC_NAMES.apiThrottled,
          MetricValue: '1',
          Dimensions: [{ Key: 'api', Value: '$.apiId' }],
        },
      ],
    });
  });

  it("alarms on each queue's oldest message, past what its consumer should take", () => {
    for (const [name, { queue }] of Object.entries(synth.stack.queues)) {
      const queueName = { 'Fn::GetAtt': [synth.logicalId(queue), 'QueueName'] };
      const found = alarmsOn('AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName: queueName }, OLDEST_MESSAGE_ALARM_SECONDS[name]);
      expect(found, name).toHaveLength(1);
      expect(found[0]?.Statistic).toBe('Maximum');
    }
  });

  it("alarms on each function's Lambda throttles, and on the records evaluate and act could not process", () => {
    for (const [name, fn] of Object.entries(synth.stack.functions)) {
      expect(alarmsOn('AWS/Lambda', 'Throttles', { FunctionName: { Ref: synth.logicalId(fn) } }), name).toHaveLength(1);
    }
    for (const name of ['evaluate', 'act'])
      expect(
        alarmsOn('Foghorn', METRIC_NAMES.queueRecords, { service: 'foghorn', stage: 'prod', function: name, outcome: 'failed' }),
        name,
      ).toHaveLength(1);
  });

  it('alarms on DynamoDB throttles of the table and of each global secondary index', () => {
    const tableName = { Ref: synth.logicalId(synth.stack.table) };
    const indexes = (
      synth.template.toJSON().Resources[synth.logicalId(synth.stack.table)].Properties.GlobalSecondaryIndexes as Array<{
        IndexName: string;
      }>
    ).map((index) => index.IndexName);
    expect(indexes.length).toBeGreaterThan(0);
    const targets = [
      { TableName: tableName },
      ...indexes.map((indexName) => ({ TableName: tableName, GlobalSecondaryIndexName: indexName })),
    ];
    for (const target of targets) {
      const found = alarms.filter(
        (alarm) =>
          alarm.Metrics?.some((query: any) => query.Expression === 'reads + writes') &&
          ['ReadThrottleEvents', 'WriteThrottleEvents'].every((metricName) =>
            alarm.Metrics.some(
              (query: any) =>
                query.MetricStat?.Metric.MetricName === metricName &&
                query.MetricStat.Metric.Namespace === 'AWS/DynamoDB' &&
                JSON.stringify(query.MetricStat.Metric.Dimensions) === JSON.stringify(dims(target)),
            ),
          ),
      );
      expect(found, JSON.stringify(target)).toHaveLength(1);
    }
  });

  it("alarms on each bus rule's failed and dead-lettered deliveries, and on each schedule's failed starts", () => {
    const rules = Object.entries(synth.template.findResources('AWS::Events::Rule'));
    const busRules = rules.filter(([, rule]) => rule.Properties.EventBusName);
    const schedules = rules.filter(([, rule]) => rule.Properties.ScheduleExpression);
    expect(busRules.length).toBeGreaterThan(0);
    expect(schedules.length).toBeGreaterThan(0);
    const bus = { Ref: synth.logicalId(synth.stack.bus) };
    for (const [id] of busRules) {
      const dimensions = { EventBusName: bus, RuleName: { Ref: id } };
      expect(alarmsOn('AWS/Events', 'FailedInvocations', dimensions), id).toHaveLength(1);
      expect(alarmsOn('AWS/Events', 'InvocationsSentToDlq', dimensions), id).toHaveLength(1);
    }
    for (const [id] of schedules) expect(alarmsOn('AWS/Events', 'FailedInvocations', { RuleName: { Ref: id } }), id).toHaveLength(1);
  });

  it('warns at synth when no one is subscribed to the alarm topic, and not when an address is given', async () => {
    const warnings = Annotations.fromStack(synth.stack).findWarning('*', Match.stringLikeRegexp('No one is subscribed to the alarm topic'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.entry.data)).toContain('-c alarmEmail=');
    synth.template.resourceCountIs('AWS::SNS::Subscription', 0);

    const subscribed = await synthesise({ bundle: false, props: { alarmEmail: 'ops@example.org' } });
    try {
      expect(
        Annotations.fromStack(subscribed.stack).findWarning('*', Match.stringLikeRegexp('No one is subscribed to the alarm topic')),
      ).toEqual([]);
      subscribed.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
    } finally {
      subscribed.dispose();
    }
  }, 180_000);
});
