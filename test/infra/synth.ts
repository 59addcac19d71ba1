import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { rulesForDeployment } from '../../infra/rules-for-deployment.js';
import { FoghornStack, type FoghornStackProps } from '../../infra/stack.js';

export interface Synthesised {
  app: App;
  stack: FoghornStack;
  template: Template;
  outdir: string;
  /** Logical id of a construct's CloudFormation resource, for matching Refs and GetAtts. */
  logicalId(construct: { node: { defaultChild?: unknown } }): string;
  /** The folder holding a Lambda function's bundled code (only when bundling ran). */
  bundleOf(functionLogicalId: string): string;
  dispose(): void;
}

/**
 * Builds the stack the way infra/app.ts does, with the repository's rule set, into a temporary folder.
 * `bundle: false` skips esbuild (fast), for tests about wiring rather than code.
 */
export async function synthesise(options: {
  bundle: boolean;
  /** Stack props beyond the rules and the environment (a KMS key, throttles, concurrency). */
  props?: Partial<Omit<FoghornStackProps, 'rules'>>;
}): Promise<Synthesised> {
  const outdir = mkdtempSync(join(tmpdir(), 'foghorn-cdk-'));
  const app = new App({ outdir, context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] } });
  let stack: FoghornStack;
  let template: Template;
  try {
    const rules = await rulesForDeployment('rules');
    stack = new FoghornStack(app, 'Foghorn', { env: { account: '123456789012', region: 'us-east-1' }, ...options.props, rules });
    template = Template.fromStack(stack);
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  return {
    app,
    stack,
    template,
    outdir,
    logicalId: (construct) => Stack.of(stack).getLogicalId(construct.node.defaultChild as CfnElement),
    bundleOf: (functionLogicalId) => {
      const code = (template.toJSON().Resources[functionLogicalId]?.Properties?.Code ?? {}) as { S3Key?: string };
      const hash = String(code.S3Key ?? '').replace(/\.zip$/, '');
      const manifest = JSON.parse(readFileSync(join(outdir, 'Foghorn.assets.json'), 'utf8')) as {
        files: Record<string, { source: { path: string } }>;
      };
      const source = manifest.files[hash]?.source.path;
      if (!source) throw new Error(`no bundled asset for function ${functionLogicalId} (S3Key ${code.S3Key})`);
      return join(outdir, source);
    },
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Every IAM statement attached to a role, flattened, with Action always a list. */
export function statementsOf(
  template: Template,
  roleLogicalId: string,
): Array<{ Effect: string; Action: string[]; Resource: unknown; Condition?: unknown }> {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleLogicalId))
    .flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as Array<{
          Effect: string;
          Action: string | string[];
          Resource: unknown;
          Condition?: unknown;
        }>,
    )
    .map((statement) => ({ ...statement, Action: ([] as string[]).concat(statement.Action) }));
}

/** The DynamoDB actions a function's role may take, by where: the table itself, its indexes (each granted on gsi1 and gsi2), anything else. */
export interface TableGrant {
  table: string[];
  index: string[];
  other: Array<{ action: string; resource: unknown }>;
}

/** Every function's DynamoDB grants, read from the synthesised template (sorted, duplicates removed). */
export function tableGrantsOf(synth: Synthesised): Record<string, TableGrant> {
  const resources = synth.template.toJSON().Resources as Record<string, { Properties: Record<string, any> }>;
  const tableArn = JSON.stringify({ 'Fn::GetAtt': [synth.logicalId(synth.stack.table), 'Arn'] });
  const indexArn = (index: string) => JSON.stringify({ 'Fn::Join': ['', [JSON.parse(tableArn), `/index/${index}`]] });
  return Object.fromEntries(
    Object.entries(synth.stack.functions).map(([name, fn]) => {
      const role = (resources[synth.logicalId(fn)]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const grant: TableGrant = { table: [], index: [], other: [] };
      const onIndex: Record<string, Set<string>> = { gsi1: new Set(), gsi2: new Set() };
      for (const statement of statementsOf(synth.template, role)) {
        for (const action of statement.Action.filter((candidate) => candidate.startsWith('dynamodb:'))) {
          for (const resource of ([] as unknown[]).concat(statement.Resource)) {
            const where = JSON.stringify(resource);
            if (where === tableArn) grant.table.push(action);
            else if (where === indexArn('gsi1')) onIndex.gsi1!.add(action);
            else if (where === indexArn('gsi2')) onIndex.gsi2!.add(action);
            else grant.other.push({ action, resource });
          }
        }
      }
      grant.table = [...new Set(grant.table)].sort();
      // An index action counts only when granted on both: the stores query either, and the test says which one.
      grant.index = [...onIndex.gsi1!].filter((action) => onIndex.gsi2!.has(action)).sort();
      for (const [index, actions] of Object.entries(onIndex))
        for (const action of actions) if (!grant.index.includes(action)) grant.other.push({ action, resource: `index/${index}` });
      return [name, grant];
    }),
  );
}
