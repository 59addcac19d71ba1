import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RulesNotDeployableError, rulesForDeployment } from '../../infra/rules-for-deployment.js';

const run = promisify(execFile);
const TSX = join('node_modules', '.bin', 'tsx');

/** Runs infra/app.ts as `cdk synth` does (the CLI passes context and the output folder through the environment). */
async function synthApp(context: Record<string, unknown>, outdir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['infra/app.ts'], {
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir, CDK_DEFAULT_ACCOUNT: '', AWS_PROFILE: '' },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

let scratch: string;
let brokenRules: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'foghorn-app-'));
  brokenRules = join(scratch, 'rules');
  mkdirSync(brokenRules);
  writeFileSync(
    join(brokenRules, 'broken.yaml'),
    [
      'id: broken-rule',
      'when:',
      '  all:',
      '    - { fact: text, operator: noSuchOperator, value: x }',
      'then:',
      '  - reply: { text: hi }',
    ].join('\n'),
  );
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('rulesForDeployment', () => {
  it("accepts the repository's rule set and says which rules ship", async () => {
    const rules = await rulesForDeployment('rules');
    expect(rules.dir).toBe(join(process.cwd(), 'rules'));
    expect(rules.ruleIds.length).toBeGreaterThan(0);
  });

  it("refuses a rule set that does not validate, with the rules module's file, line and problem", async () => {
    const error = await rulesForDeployment(brokenRules).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RulesNotDeployableError);
    expect((error as Error).message).toContain(`${brokenRules} cannot be deployed`);
    expect((error as Error).message).toMatch(/broken\.yaml:4: broken-rule › when\.all\[0\]\.operator: unknown operator 'noSuchOperator'/);
  });

  it('refuses a rules folder that does not exist', async () => {
    await expect(rulesForDeployment(join(scratch, 'missing'))).rejects.toThrow(/missing cannot be deployed: it is not a folder/);
  });
});

describe('infra/app.ts (what `cdk synth` and `cdk deploy` run)', () => {
  it('fails the synthesis, and so the deployment, when the rules do not validate', async () => {
    const outdir = join(scratch, 'out-broken');
    const result = await synthApp({ rules: brokenRules }, outdir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/broken\.yaml:4: broken-rule › when\.all\[0\]\.operator: unknown operator 'noSuchOperator'/);
    expect(existsSync(join(outdir, 'prod-foghorn.template.json'))).toBe(false);
  }, 120_000);

  it("synthesises offline with no credentials, with cdk-nag's AwsSolutions checks passing", async () => {
    // Bundling is skipped here (stack.test.ts bundles); this proves the app's wiring, context and nag plugin.
    const outdir = join(scratch, 'out');
    const result = await synthApp(
      { 'aws:cdk:bundling-stacks': [], emailIdentity: 'alerts.example.com', alarmEmail: 'ops@example.com', sandbox: 'true' },
      outdir,
    );
    expect(result.stderr).not.toMatch(/AwsSolutions-/);
    expect(result.code).toBe(0);
    const template = JSON.parse(readFileSync(join(outdir, 'prod-foghorn.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: any }>;
    };
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::Events::EventBus',
        'AWS::SQS::Queue',
        'AWS::DynamoDB::Table',
        'AWS::Lambda::Function',
        'AWS::ApiGatewayV2::Api',
      ]),
    );
    // Context options reach the stack: the alarm subscription, and SES SendEmail for act from that one identity only.
    const resources = Object.values(template.Resources);
    expect(resources.filter((r) => r.Type === 'AWS::SNS::Subscription').map((r) => [r.Properties.Protocol, r.Properties.Endpoint])).toEqual(
      [['email', 'ops@example.com']],
    );
    const sesStatements = resources
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) =>
        (r.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>).map((statement) => ({
          roles: r.Properties.Roles,
          ...statement,
        })),
      )
      .filter((statement) => ([] as string[]).concat(statement.Action).some((action) => action.startsWith('ses:')));
    expect(sesStatements).toHaveLength(1);
    expect(sesStatements[0]?.roles).toEqual([{ Ref: expect.stringMatching(/^ActRole/) }]);
    expect(JSON.stringify(sesStatements[0]?.Resource)).toContain(':identity/alerts.example.com');
    const sandboxed = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment.Variables.FOGHORN_SANDBOX === 'true')
      .map(([id]) => id);
    expect(sandboxed).toEqual([expect.stringMatching(/^Act/)]);
  }, 120_000);

  it('takes the key, concurrency, throttle and send-rate options from the context, and cdk-nag still passes', async () => {
    const outdir = join(scratch, 'out-hardened');
    const result = await synthApp(
      {
        'aws:cdk:bundling-stacks': [],
        encryptionKey: 'create',
        reservedConcurrency: 'false',
        throttle: '{"webhooks":{"rateLimit":40,"burstLimit":80},"platforms":{"slack":{"rateLimit":5,"burstLimit":10}}}',
        sendRates: '{"whatsapp":{"rateLimit":500,"burstLimit":1000}}',
      },
      outdir,
    );
    expect(result.stderr).not.toMatch(/AwsSolutions-/);
    expect(result.code).toBe(0);
    const resources = Object.values(
      (
        JSON.parse(readFileSync(join(outdir, 'prod-foghorn.template.json'), 'utf8')) as {
          Resources: Record<string, { Type: string; Properties: any }>;
        }
      ).Resources,
    );
    const table = resources.find((r) => r.Type === 'AWS::DynamoDB::Table');
    expect(table?.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    const stage = resources.find((r) => r.Type === 'AWS::ApiGatewayV2::Stage');
    expect(stage?.Properties.RouteSettings['POST /webhooks/telegram']).toEqual({ ThrottlingRateLimit: 40, ThrottlingBurstLimit: 80 });
    expect(stage?.Properties.RouteSettings['POST /webhooks/slack']).toEqual({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 });
    const told = functions.map((fn) => fn.Properties.Environment?.Variables?.FOGHORN_SEND_RATES).filter((rates) => rates !== undefined);
    expect(told).toHaveLength(1);
    expect(JSON.parse(told[0] as string).whatsapp).toEqual({ rateLimit: 500, burstLimit: 1000 });
  }, 120_000);

  it('takes the stage and the custom domain from the context: a staging-foghorn stack, and cdk-nag still passes', async () => {
    const outdir = join(scratch, 'out-staging');
    const result = await synthApp(
      {
        'aws:cdk:bundling-stacks': [],
        stage: 'staging',
        domainName: 'hooks.example.org',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      },
      outdir,
    );
    expect(result.stderr).not.toMatch(/AwsSolutions-/);
    expect(result.code).toBe(0);
    expect(existsSync(join(outdir, 'prod-foghorn.template.json'))).toBe(false);
    const template = JSON.parse(readFileSync(join(outdir, 'staging-foghorn.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: any }>;
      Outputs: Record<string, { Value: unknown }>;
    };
    const resources = Object.values(template.Resources);
    expect(resources.find((r) => r.Type === 'AWS::DynamoDB::Table')?.Properties.TableName).toBe('staging-foghorn');
    expect(resources.find((r) => r.Type === 'AWS::Events::EventBus')?.Properties.Name).toBe('staging-foghorn');
    expect(resources.find((r) => r.Type === 'AWS::ApiGatewayV2::Api')?.Properties.Name).toBe('staging-foghorn');
    expect(resources.find((r) => r.Type === 'AWS::ApiGatewayV2::DomainName')?.Properties.DomainName).toBe('hooks.example.org');
    expect(template.Outputs.WebhookUrl?.Value).toBe('https://hooks.example.org/webhooks/{platform}');
  }, 120_000);

  it('refuses a stage that cannot prefix the names, and a domain without its certificate, saying what is missing', async () => {
    const stage = await synthApp({ 'aws:cdk:bundling-stacks': [], stage: 'Staging_1' }, join(scratch, 'out-bad-stage'));
    expect(stage.code).not.toBe(0);
    expect(stage.stderr).toContain("stage 'Staging_1' cannot prefix resource names");
    const domain = await synthApp({ 'aws:cdk:bundling-stacks': [], domainName: 'hooks.example.org' }, join(scratch, 'out-bad-domain'));
    expect(domain.code).not.toBe(0);
    expect(domain.stderr).toContain('a custom domain needs both -c domainName=<host> and -c certificateArn=');
  }, 120_000);

  it('refuses a send rate for a platform Foghorn sends nothing to, naming it', async () => {
    const result = await synthApp(
      { 'aws:cdk:bundling-stacks': [], sendRates: '{"myspace":{"rateLimit":1,"burstLimit":1}}' },
      join(scratch, 'out-bad-send-rate'),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("sendRates.myspace: Foghorn sends nothing to 'myspace'");
  }, 120_000);

  it('refuses a context option that is not JSON, naming it', async () => {
    const result = await synthApp({ 'aws:cdk:bundling-stacks': [], reservedConcurrency: 'off' }, join(scratch, 'out-bad-context'));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("context 'reservedConcurrency' must be JSON");
  }, 120_000);
});
