import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from './constructs/nag.js';
import { rulesForDeployment } from './rules-for-deployment.js';
import { FoghornStack } from './stack.js';

/**
 * `npx cdk synth` / `npx cdk deploy`. Synthesis needs no credentials and looks nothing up: the account
 * and region come from the CLI's profile when there is one, else the stack stays account-agnostic.
 * Context: `-c rules=<folder>` (the rule set to ship, default `rules`), `-c alarmEmail=<address>`,
 * `-c emailIdentity=<SES identity>` (lets act send escalation emails from it), `-c sandbox=true` (record
 * outbound calls instead of sending them).
 */
const app = new App();
const alarmEmail = app.node.tryGetContext('alarmEmail') as string | undefined;
const emailIdentity = app.node.tryGetContext('emailIdentity') as string | undefined;
const sandbox = [true, 'true'].includes(app.node.tryGetContext('sandbox') as boolean | string);
// Broken rules stop here, before anything is bundled, with the rules module's own message.
const rules = await rulesForDeployment(String(app.node.tryGetContext('rules') ?? 'rules')).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  return process.exit(1);
});

new FoghornStack(app, 'Foghorn', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT || undefined, region: process.env.CDK_DEFAULT_REGION || 'us-east-1' },
  description: 'Foghorn: social-media automation and rules engine (webhooks → EventBridge → SQS → Lambda)',
  rules,
  alarmEmail,
  emailIdentity,
  sandbox,
});

// An unacknowledged AwsSolutions error fails `cdk synth` and so `cdk deploy`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
