import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleForDeployment } from '../../infra/console-for-deployment.js';
import { rulesForDeployment } from '../../infra/rules-for-deployment.js';
import { FoghornStack } from '../../infra/stack.js';
import { InvalidStageError, stageNames } from '../../infra/stage-names.js';
import { templateText } from './template-text.js';

/**
 * Two stages in one app, as two teams (or prod and staging) would deploy them into one account and region: every
 * name the stacks give a resource starts with the stage, and none is the same in both. (Bundling is skipped.)
 */
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** The property holding each resource type's physical name, unique in an account and region (CloudFront functions: account-wide). */
const NAMED: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Events::EventBus': 'Name',
  'AWS::ApiGatewayV2::Api': 'Name',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Cognito::UserPool': 'UserPoolName',
  'AWS::Cognito::UserPoolDomain': 'Domain',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::CloudFront::Function': 'Name',
};

const outdir = mkdtempSync(join(tmpdir(), 'foghorn-stages-'));
const env = { account: '123456789012', region: 'us-east-1' };
let stacks: Record<'prod' | 'staging', FoghornStack>;
let templates: Record<'prod' | 'staging', Resources>;

beforeAll(async () => {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const [rules, build] = await Promise.all([rulesForDeployment('rules'), consoleForDeployment()]);
  stacks = {
    prod: new FoghornStack(app, 'prod-foghorn', { env, rules, console: { build } }),
    staging: new FoghornStack(app, 'staging-foghorn', { env, rules, console: { build }, stage: 'staging' }),
  };
  templates = {
    prod: Template.fromStack(stacks.prod).toJSON().Resources as Resources,
    staging: Template.fromStack(stacks.staging).toJSON().Resources as Resources,
  };
}, 180_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Every physical name a template gives, by resource type. */
function physicalNames(resources: Resources): Array<{ type: string; name: string | undefined }> {
  return Object.values(resources)
    .filter((resource) => NAMED[resource.Type])
    .map((resource) => {
      const value = resource.Properties[NAMED[resource.Type]!];
      return { type: resource.Type, name: value === undefined ? undefined : templateText(value) };
    });
}

describe('the stage context', () => {
  it('is prod by default: the stack and its table, bus, API, queues, functions and the rest are prod-foghorn…', () => {
    expect(stacks.prod.stackName).toBe('prod-foghorn');
    const names = physicalNames(templates.prod);
    const of = (type: string) => names.filter((named) => named.type === type).map((named) => named.name);
    expect(of('AWS::DynamoDB::Table')).toEqual(['prod-foghorn']);
    expect(of('AWS::Events::EventBus')).toEqual(['prod-foghorn']);
    expect(of('AWS::ApiGatewayV2::Api')).toEqual(['prod-foghorn']);
    expect(of('AWS::CloudWatch::Dashboard')).toEqual(['prod-foghorn']);
    expect(of('AWS::SQS::Queue').sort()).toEqual([
      'prod-foghorn-actions',
      'prod-foghorn-actions-dead-letters',
      'prod-foghorn-analytics-stream-dead-letters',
      'prod-foghorn-events',
      'prod-foghorn-events-dead-letters',
      'prod-foghorn-scheduled-failures',
      'prod-foghorn-scheduled-failures-dead-letters',
    ]);
    expect(of('AWS::Lambda::Function')).toEqual(
      expect.arrayContaining(['prod-foghorn-ingest', 'prod-foghorn-evaluate', 'prod-foghorn-act']),
    );
    expect(of('AWS::Logs::LogGroup')).toEqual(
      expect.arrayContaining(['/aws/lambda/prod-foghorn-ingest', '/foghorn/prod/api-access', '/foghorn/prod/console-deployment']),
    );
    expect(of('AWS::SecretsManager::Secret').sort()).toEqual(['prod-foghorn/settings', 'prod-foghorn/webhook-secrets']);
    expect(of('AWS::SNS::Topic')).toEqual(['prod-foghorn-alarms']);
    expect(of('AWS::Cognito::UserPool')).toEqual(['prod-foghorn-console']);
    expect(of('AWS::Cognito::UserPoolDomain')).toEqual(['prod-foghorn-console-123456789012']);
    expect(of('AWS::CloudFront::Function')).toEqual(['prod-foghorn-us-east-1-console-pages']);
  });

  it('prefixes every physical name of another stage with it, and tags its metrics with it', () => {
    expect(stacks.staging.stackName).toBe('staging-foghorn');
    // CDK's own BucketDeployment function is left to CloudFormation, which names it from the stack.
    for (const { type, name } of physicalNames(templates.staging).filter((named) => named.name !== undefined))
      expect(name, type).toMatch(/^(staging-foghorn|\/aws\/lambda\/staging-foghorn-|\/foghorn\/staging\/)/);
    for (const resource of Object.values(templates.staging).filter((candidate) => candidate.Type === 'AWS::Lambda::Function')) {
      const variables = (resource.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
      // The stack's own functions (not CDK's BucketDeployment helper) emit metrics with the stage as a dimension.
      if (variables?.POWERTOOLS_SERVICE_NAME) expect(variables.FOGHORN_STAGE).toBe('staging');
    }
  });

  it('gives every such resource a name, and no name is used twice in the account, within a stage or across both', () => {
    const all = [...physicalNames(templates.prod), ...physicalNames(templates.staging)];
    const unnamed = all.filter((named) => named.name === undefined);
    // CDK's own BucketDeployment function (one per stack) is named by CloudFormation, from the stack name.
    expect(unnamed).toEqual([
      { type: 'AWS::Lambda::Function', name: undefined },
      { type: 'AWS::Lambda::Function', name: undefined },
    ]);
    const names = all.flatMap((named) => (named.name === undefined ? [] : [`${named.type} ${named.name}`]));
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('refuses a stage that cannot prefix every name, saying what a stage may be', () => {
    for (const stage of ['Prod', 'my_stage', '1st', 'staging-', 'a-very-long-stage-name-indeed'])
      expect(() => stageNames(stage), stage).toThrow(InvalidStageError);
    expect(() => stageNames('Prod')).toThrow("stage 'Prod' cannot prefix resource names: use 1 to 20 lower-case letters");
    expect(stageNames('qa-2').prefix).toBe('qa-2-foghorn');
  });
});
