import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYTICS_STREAM } from '../../infra/constructs/analytics-stream.js';
import { BUNDLED_TEAM_CONFIG_PATH } from '../../infra/stack.js';
import { type Synthesised, statementsOf, synthesise } from './synth.js';

/**
 * The analytics function's wiring: the table's stream with both images, one filtered event source mapping with
 * batching, bisect, partial batch responses, a tumbling window (for the shard's name), its own dead-letter queue
 * and alarms, and a role that may update only clocks and hour buckets. (Bundling is skipped: this is about wiring.)
 */
type Resource = { Type: string; Properties: Record<string, any> };

let synth: Synthesised;
let resources: Record<string, Resource>;
let functionId: string;

beforeAll(async () => {
  synth = await synthesise({ bundle: false });
  resources = synth.template.toJSON().Resources as Record<string, Resource>;
  functionId = synth.logicalId(synth.stack.analyticsStream.function);
}, 120_000);
afterAll(() => synth?.dispose());

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

describe('the analytics stream', () => {
  it("turns the table's stream on with the old and the new image", () => {
    expect(resources[synth.logicalId(synth.stack.table)]!.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('feeds the analytics function in batches, filtered to a decision put, an owner put or changed and a reply completed, with retries that end in its own DLQ', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, mapping]) => mapping.Properties.FunctionName?.Ref === functionId);
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0]![1].Properties;
    expect(mapping.EventSourceArn).toEqual({ 'Fn::GetAtt': [synth.logicalId(synth.stack.table), 'StreamArn'] });
    expect(mapping).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: ANALYTICS_STREAM.batchSize,
      MaximumBatchingWindowInSeconds: ANALYTICS_STREAM.maxBatchingWindowSeconds,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: ANALYTICS_STREAM.retryAttempts,
      ParallelizationFactor: 1,
      TumblingWindowInSeconds: ANALYTICS_STREAM.tumblingWindowSeconds,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [synth.logicalId(synth.stack.analyticsStream.deadLetters), 'Arn'] } },
      },
    });
    expect(mapping.FilterCriteria.Filters.map((filter: { Pattern: string }) => JSON.parse(filter.Pattern))).toEqual([
      { eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: ['DECISION'] } } } },
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['OWNER'] } } } },
      {
        eventName: ['MODIFY'],
        dynamodb: { Keys: { sk: { S: ['ACTION'] } }, NewImage: { status: { S: ['succeeded'] }, type: { S: ['reply'] } } },
      },
    ]);
  });

  it('may update only conversation clocks and hour buckets in the table, and read only its stream', () => {
    const role = (resources[functionId]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const dynamo = statementsOf(synth.template, role).filter((statement) =>
      statement.Action.some((action) => action.startsWith('dynamodb:')),
    );
    const tableArn = { 'Fn::GetAtt': [synth.logicalId(synth.stack.table), 'Arn'] };
    const streamArn = { 'Fn::GetAtt': [synth.logicalId(synth.stack.table), 'StreamArn'] };
    const onTable = dynamo.filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(tableArn));
    expect(onTable).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:UpdateItem'],
        Resource: tableArn,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ACLOCK#*', 'ANALYTICS#*', 'ANALYTICSRT#*'] } },
      },
    ]);
    const rest = dynamo.filter((statement) => !onTable.includes(statement));
    // ListStreams has no resource of its own (IAM takes only `*` for it); the stream's records are read on the stream.
    for (const statement of rest) {
      if (statement.Resource === '*') expect(statement.Action).toEqual(['dynamodb:ListStreams']);
      else {
        expect(statement.Resource).toEqual(streamArn);
        for (const action of statement.Action) expect(action).toMatch(/^dynamodb:(DescribeStream|GetRecords|GetShardIterator)$/);
      }
    }
    expect(rest.length).toBeGreaterThan(0);
  });

  it('gets the table and the bundled team config, and nothing else of the pipeline', () => {
    const variables = resources[functionId]!.Properties.Environment.Variables as Record<string, unknown>;
    expect(variables.TABLE_NAME).toEqual({ Ref: synth.logicalId(synth.stack.table) });
    expect(variables.FOGHORN_TEAM_CONFIG).toBe(BUNDLED_TEAM_CONFIG_PATH);
    for (const absent of ['BUS_NAME', 'ACTIONS_QUEUE_URL', 'FOGHORN_SECRET_ARN', 'FOGHORN_COMPILED_RULES'])
      expect(variables[absent], absent).toBeUndefined();
  });

  it('alarms on its dead letters, on falling behind the stream, and on errors', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const deadLetters = alarms.find((alarm) =>
      JSON.stringify(alarm.Dimensions ?? []).includes(synth.logicalId(synth.stack.analyticsStream.deadLetters)),
    );
    expect(deadLetters).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
    const ofFunction = alarms.filter((alarm) => JSON.stringify(alarm.Dimensions ?? []).includes(functionId));
    expect(ofFunction.map((alarm) => alarm.MetricName).sort()).toEqual(['Errors', 'IteratorAge']);
    for (const alarm of [deadLetters, ...ofFunction]) expect(alarm?.AlarmActions).toHaveLength(1);
  });
});
