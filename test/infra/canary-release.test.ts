import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_ALIAS } from '../../infra/constructs/canary-release.js';
import { DEFAULT_CANARY } from '../../infra/stack.js';
import { mappingCalls, type Synthesised, synthesise } from './synth.js';

let synth: Synthesised;
let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
beforeAll(async () => {
  synth = await synthesise({ bundle: false });
  resources = synth.template.toJSON().Resources;
}, 180_000);
afterAll(() => synth?.dispose());

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

describe('CanaryRelease', () => {
  it('publishes a version of evaluate, act and ingest on each deploy, behind a live alias', () => {
    expect([...DEFAULT_CANARY].sort()).toEqual(['act', 'evaluate', 'ingest']);
    for (const name of DEFAULT_CANARY) {
      const release = synth.stack.releases[name]!;
      const alias = resources[synth.logicalId(release.alias)]!;
      expect(alias.Type).toBe('AWS::Lambda::Alias');
      expect(alias.Properties.Name).toBe(LIVE_ALIAS);
      expect(alias.Properties.FunctionName).toEqual({ Ref: synth.logicalId(synth.stack.functions[name]!) });
      const versionId = (alias.Properties.FunctionVersion as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(resources[versionId]?.Type).toBe('AWS::Lambda::Version');
      expect(resources[versionId]?.Properties.FunctionName).toEqual({ Ref: synth.logicalId(synth.stack.functions[name]!) });
    }
    // The rest are not released by canary: no alias of theirs.
    for (const name of ['poll', 'sweep', 'api']) expect(synth.stack.releases[name as 'poll'], name).toBeUndefined();
  });

  it('shifts 10% of the traffic to a new version for five minutes, rolling back on a failed deploy, a stop or an alarm', () => {
    const groups = ofType('AWS::CodeDeploy::DeploymentGroup');
    expect(groups).toHaveLength(DEFAULT_CANARY.length);
    for (const [id, group] of groups) {
      expect(group.Properties.DeploymentConfigName, id).toBe('CodeDeployDefault.LambdaCanary10Percent5Minutes');
      expect(group.Properties.DeploymentStyle, id).toEqual({ DeploymentOption: 'WITH_TRAFFIC_CONTROL', DeploymentType: 'BLUE_GREEN' });
      expect([...group.Properties.AutoRollbackConfiguration.Events].sort(), id).toEqual(
        ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'].sort(),
      );
      expect(group.Properties.AutoRollbackConfiguration.Enabled, id).toBe(true);
    }
    // CloudFormation hands the alias's update to CodeDeploy, which shifts it.
    for (const name of DEFAULT_CANARY) {
      const aliasId = synth.logicalId(synth.stack.releases[name]!.alias);
      const policy = (synth.template.toJSON().Resources[aliasId] as { UpdatePolicy?: Record<string, any> }).UpdatePolicy;
      expect(policy?.CodeDeployLambdaAliasUpdate, name).toMatchObject({ ApplicationName: { Ref: expect.any(String) } });
    }
  });

  it("is gated on the function's errors and throttles alarms, and on the records evaluate and act could not process", () => {
    const alarmNames = (name: string) => {
      const aliasId = synth.logicalId(synth.stack.releases[name as 'act']!.alias);
      const policy = (synth.template.toJSON().Resources[aliasId] as { UpdatePolicy: Record<string, any> }).UpdatePolicy;
      const groupId = (policy.CodeDeployLambdaAliasUpdate.DeploymentGroupName as { Ref: string }).Ref;
      const group = resources[groupId]!;
      expect(group.Properties.AlarmConfiguration.Enabled).toBe(true);
      return (group.Properties.AlarmConfiguration.Alarms as Array<{ Name: { Ref: string } }>).map((alarm) => {
        const props = resources[alarm.Name.Ref]!.Properties;
        return props.MetricName ?? props.Metrics?.[0]?.MetricStat?.Metric.MetricName;
      });
    };
    expect(alarmNames('ingest').sort()).toEqual(['Errors', 'Throttles']);
    expect(alarmNames('evaluate').sort()).toEqual(['Errors', 'QueueRecords', 'Throttles']);
    expect(alarmNames('act').sort()).toEqual(['Errors', 'QueueRecords', 'Throttles']);
  });

  it('calls the alias from every trigger: the queue mappings and the webhook integration', () => {
    for (const [name, spec] of Object.entries({ evaluate: 'events', act: 'actions' })) {
      const mapping = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) =>
        JSON.stringify(m.Properties.EventSourceArn).includes(synth.logicalId(synth.stack.queues[spec as 'events'].queue)),
      );
      const aliasId = synth.logicalId(synth.stack.releases[name as 'act']!.alias);
      expect(mappingCalls(mapping?.[1].Properties.FunctionName, aliasId), name).toBe(true);
      // Not the function's $LATEST: the mapping names the alias.
      expect(JSON.stringify(mapping?.[1].Properties.FunctionName)).toContain(`:${LIVE_ALIAS}`);
    }
    const integrations = ofType('AWS::ApiGatewayV2::Integration').map(([, integration]) => integration.Properties.IntegrationUri);
    expect(integrations).toContainEqual({ Ref: synth.logicalId(synth.stack.releases.ingest!.alias) });
    // The HTTP API may invoke the alias (its permission names the alias, not $LATEST).
    const permissions = ofType('AWS::Lambda::Permission').map(([, permission]) => permission.Properties);
    expect(
      permissions.some(
        (p) => JSON.stringify(p.FunctionName) === JSON.stringify({ Ref: synth.logicalId(synth.stack.releases.ingest!.alias) }),
      ),
    ).toBe(true);
  });
});
