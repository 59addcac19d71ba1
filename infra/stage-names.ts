/** The stage a deployment is when `-c stage=…` is not given. */
export const DEFAULT_STAGE = 'prod';

/**
 * Lower case (Cognito domain prefixes and bucket names allow nothing else), a letter first, no hyphen last, and
 * short: the longest name built from it (the console's CloudFront function, `<stage>-foghorn-<region>-console-pages`)
 * must stay within CloudFront's 64 characters.
 */
const STAGE_PATTERN = /^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/;

/** A stage that cannot prefix every resource name; the message says what a stage may be. */
export class InvalidStageError extends Error {
  constructor(stage: string) {
    super(
      `stage '${stage}' cannot prefix resource names: use 1 to 20 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen (for example -c stage=staging)`,
    );
    this.name = 'InvalidStageError';
  }
}

/**
 * Every physical name a Foghorn stack gives its resources, prefixed by its stage (`prod-foghorn`, `staging-foghorn-…`),
 * so several stages live side by side in one account and region. Resources left unnamed get CloudFormation's names,
 * which carry the stack name and are unique already.
 */
export interface StageNames {
  stage: string;
  /** `<stage>-foghorn`: the stack, the table, the bus, the HTTP API and the dashboard. */
  prefix: string;
  stack: string;
  table: string;
  bus: string;
  api: string;
  dashboard: string;
  /** The settings secret (outbound credentials: platform tokens): `<stage>-foghorn/settings`. */
  secret: string;
  /** The inbound secret (webhook signing secrets, which only ingest reads): `<stage>-foghorn/webhook-secrets`. */
  webhookSecret: string;
  alarmTopic: string;
  /** A queue of functions/app/topology.ts, and its dead letters. */
  queue(name: string): string;
  deadLetters(name: string): string;
  /** A function of the topology: `<stage>-foghorn-<name>`. */
  function(name: string): string;
  /** Its log group, where Lambda's console looks for it: `/aws/lambda/<function name>`. */
  functionLogs(name: string): string;
  /** Any other log group of the stack: `/foghorn/<stage>/<what>`. */
  logs(what: string): string;
  userPool: string;
  /** The hosted sign-in's domain prefix, unique in the region: `<stage>-foghorn-console-<account>`. */
  signInDomainPrefix(account: string): string;
}

export function stageNames(stage: string = DEFAULT_STAGE): StageNames {
  if (!STAGE_PATTERN.test(stage)) throw new InvalidStageError(stage);
  const prefix = `${stage}-foghorn`;
  return {
    stage,
    prefix,
    stack: prefix,
    table: prefix,
    bus: prefix,
    api: prefix,
    dashboard: prefix,
    secret: `${prefix}/settings`,
    webhookSecret: `${prefix}/webhook-secrets`,
    alarmTopic: `${prefix}-alarms`,
    queue: (name) => `${prefix}-${name}`,
    deadLetters: (name) => `${prefix}-${name}-dead-letters`,
    function: (name) => `${prefix}-${name}`,
    functionLogs: (name) => `/aws/lambda/${prefix}-${name}`,
    logs: (what) => `/foghorn/${stage}/${what}`,
    userPool: `${prefix}-console`,
    signInDomainPrefix: (account) => `${prefix}-console-${account}`,
  };
}
