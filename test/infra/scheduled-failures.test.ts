import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULES } from '../../infra/stack.js';
import { type Synthesised, statementsOf, synthesise } from './synth.js';

describe('the scheduled functions (sweep, poll)', () => {
  let synth: Synthesised;
  beforeAll(async () => {
    synth = await synthesise({ bundle: false });
  });
  afterAll(() => synth?.dispose());

  const failuresQueue = () => {
    const queues = synth.template.findResources('AWS::SQS::Queue');
    const ids = Object.keys(queues).filter((id) => id.startsWith('ScheduledFailuresRecordsQueue'));
    expect(ids).toHaveLength(1);
    return ids[0] as string;
  };

  it('are never retried by Lambda nor run late, and a failed run is kept in an encrypted queue with its alarm', () => {
    const queue = failuresQueue();
    const configs = Object.values(synth.template.findResources('AWS::Lambda::EventInvokeConfig')).map((config) => config.Properties);
    expect(Object.keys(SCHEDULES).sort()).toEqual(['poll', 'sweep']);
    for (const name of Object.keys(SCHEDULES)) {
      const fn = synth.stack.functions[name];
      if (!fn) throw new Error(`no ${name} function in the stack`);
      const id = synth.logicalId(fn);
      expect(configs.filter((config) => (config.FunctionName as { Ref?: string }).Ref === id)).toEqual([
        {
          FunctionName: { Ref: id },
          Qualifier: '$LATEST',
          MaximumRetryAttempts: 0,
          MaximumEventAgeInSeconds: 60,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
        },
      ]);
      const role = synth.logicalId(fn.role as never);
      const sends = statementsOf(synth.template, role).filter((statement) => statement.Action.includes('sqs:SendMessage'));
      expect(sends.some((statement) => JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::GetAtt': [queue, 'Arn'] }))).toBe(true);
    }
    synth.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
    expect(
      alarms.filter(
        (alarm) =>
          alarm.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }]),
      ),
    ).toHaveLength(1);
  });
});
