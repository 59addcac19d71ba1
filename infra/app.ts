import { App, Validations } from 'aws-cdk-lib';
import { InvalidSendRateError } from '../functions/platforms/send-rates.js';
import { consoleForDeployment } from './console-for-deployment.js';
import { type ApiDomainOptions, InvalidApiDomainError } from './constructs/api-domain.js';
import { AwsSolutionsChecks } from './constructs/nag.js';
import { rulesForDeployment } from './rules-for-deployment.js';
import { FoghornStack, type FoghornStackProps } from './stack.js';
import { DEFAULT_STAGE, InvalidStageError, stageNames } from './stage-names.js';
import { InvalidThrottleError } from './webhook-throttles.js';

/**
 * `npx cdk synth` / `npx cdk deploy`. Synthesis needs no credentials and looks nothing up: the account
 * and region come from the CLI's profile when there is one, else the stack stays account-agnostic.
 * Context: `-c rules=<folder>` (the rule set to ship, default `rules`), `-c alarmEmail=<address>`,
 * `-c emailIdentity=<SES identity>` (lets act send escalation emails from it), `-c sandbox=true` (record
 * outbound calls instead of sending them), `-c encryptionKey=create|<key ARN>` (a customer-managed key for
 * the table and the log groups), `-c reservedConcurrency=false` (reserve none: small accounts) or
 * `-c reservedConcurrency='{"ingest":20}'`, `-c throttle='{"platforms":{"slack":{"rateLimit":50,"burstLimit":100}}}'` (one
 * platform's webhook routes; `webhooks` sets every platform's, `api` each /api route's: infra/webhook-throttles.ts),
 * `-c sendRates='{"telegram":{"rateLimit":20,"burstLimit":20}}'` (how fast act sends to a platform: functions/platforms/send-rates.ts),
 * `-c tracing=false` (no X-Ray tracing; on by default), `-c consoleDomainPrefix=<prefix>` (the console's hosted sign-in,
 * `<prefix>.auth.<region>.amazoncognito.com`, when the default `<stack>-console-<account>` is taken), `-c stage=<name>`
 * (default `prod`: the stack is `<stage>-foghorn` and every name it gives a resource starts so, so stages share an account),
 * `-c domainName=<host> -c certificateArn=<ACM ARN>` (the HTTP API on a custom domain) with `-c hostedZoneId=<zone>`
 * (an alias record in that Route 53 zone). The same keys may sit in cdk.json's `context`. Without `alarmEmail` synth warns
 * that the alarm topic has no subscriber.
 */
const app = new App();
const alarmEmail = app.node.tryGetContext('alarmEmail') as string | undefined;
const emailIdentity = app.node.tryGetContext('emailIdentity') as string | undefined;
const sandbox = [true, 'true'].includes(app.node.tryGetContext('sandbox') as boolean | string);
const tracing = ![false, 'false'].includes(app.node.tryGetContext('tracing') as boolean | string);
const encryptionKey = (app.node.tryGetContext('encryptionKey') as string | undefined) || undefined;
const reservedConcurrency = jsonContext('reservedConcurrency') as FoghornStackProps['reservedConcurrency'];
const throttle = jsonContext('throttle') as FoghornStackProps['throttle'];
const sendRates = jsonContext('sendRates') as FoghornStackProps['sendRates'];
const names = orExit(() => stageNames(stringContext('stage') ?? DEFAULT_STAGE));
const domain = apiDomainContext();
// Broken rules stop here, before anything is bundled, with the rules module's own message.
const rules = await rulesForDeployment(String(app.node.tryGetContext('rules') ?? 'rules')).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  return process.exit(1);
});

const consoleBuild = await consoleForDeployment();
// A stage or domain the stack cannot use stops here with its message, as broken rules do.
orExit(
  () =>
    new FoghornStack(app, names.stack, {
      stage: names.stage,
      ...(domain ? { domain } : {}),
      env: { account: process.env.CDK_DEFAULT_ACCOUNT || undefined, region: process.env.CDK_DEFAULT_REGION || 'us-east-1' },
      description: 'Foghorn: social-media automation and rules engine (webhooks → EventBridge → SQS → Lambda)',
      rules,
      alarmEmail,
      emailIdentity,
      sandbox,
      encryptionKey,
      reservedConcurrency,
      throttle,
      ...(sendRates ? { sendRates } : {}),
      tracing,
      // The ops console, built as the local runtime serves it.
      console: { build: consoleBuild, signInDomainPrefix: app.node.tryGetContext('consoleDomainPrefix') as string | undefined },
    }),
);

// An unacknowledged AwsSolutions error fails `cdk synth` and so `cdk deploy`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

/** A context value as a non-empty string, or nothing. */
function stringContext(name: string): string | undefined {
  const value: unknown = app.node.tryGetContext(name);
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** `domainName` and `certificateArn` go together; `hostedZoneId` only with them. */
function apiDomainContext(): ApiDomainOptions | undefined {
  const [domainName, certificateArn, hostedZoneId] = [
    stringContext('domainName'),
    stringContext('certificateArn'),
    stringContext('hostedZoneId'),
  ];
  if (!domainName && !certificateArn && !hostedZoneId) return undefined;
  if (!domainName || !certificateArn) {
    console.error(
      'a custom domain needs both -c domainName=<host> and -c certificateArn=<ACM certificate ARN in the stack region> (hostedZoneId is optional)',
    );
    return process.exit(1);
  }
  return { domainName, certificateArn, ...(hostedZoneId ? { hostedZoneId } : {}) };
}

/** The value or, for a context value that cannot be used, its message on stderr and exit status 1. */
function orExit<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (
      !(
        error instanceof InvalidStageError ||
        error instanceof InvalidApiDomainError ||
        error instanceof InvalidThrottleError ||
        error instanceof InvalidSendRateError
      )
    )
      throw error;
    console.error(error.message);
    return process.exit(1);
  }
}

/** A context value given as JSON on the command line (`-c key='{…}'`, `-c key=false`) or as a value in cdk.json. */
function jsonContext(name: string): unknown {
  const value: unknown = app.node.tryGetContext(name);
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    console.error(`context '${name}' must be JSON (for example -c ${name}=false or -c ${name}='{"ingest":20}'), got ${value}`);
    return process.exit(1);
  }
}
