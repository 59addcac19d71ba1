import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnElement, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type QueueName, topology } from '../functions/app/topology.js';
import { TABLE_KEYS } from '../functions/storage/dynamo/table.js';
import { AlarmTopic } from './constructs/alarm-topic.js';
import { type BundledPath, FoghornFunction, REPO_ROOT } from './constructs/foghorn-function.js';
import { QueueWithDeadLetters } from './constructs/queue-with-dead-letters.js';
import type { RulesForDeployment } from './rules-for-deployment.js';

/** What each function may touch; the stack grants exactly this and sets only the matching environment. */
export interface FunctionAccess {
  /** `items`: GetItem, PutItem, UpdateItem and Query only (no scan, delete or batch writes). */
  table: 'read' | 'readWrite' | 'items';
  putEvents?: boolean;
  /** SendMessage on the actions queue (ACTIONS_QUEUE_URL). */
  sendActions?: boolean;
  /** ChangeMessageVisibility on the actions queue it consumes, to retry a command later (ACTIONS_QUEUE_URL). */
  delayActions?: boolean;
  /** SendMessage on the actions dead-letter queue, for commands that failed for good (ACTIONS_DLQ_URL). */
  deadLetterActions?: boolean;
  readSecret?: boolean;
  /** SES SendEmail from the stack's `emailIdentity` (escalations by email); nothing when none is configured. */
  sendEmail?: boolean;
  /** Calls the outside world; FOGHORN_SANDBOX=true when the stack is deployed in sandbox mode. */
  callsOut?: boolean;
  /** The rule set (and foghorn.config.yaml) ship inside the bundle; FOGHORN_RULES and FOGHORN_CONFIG point at them. */
  bundlesRules?: boolean;
  /** foghorn.config.yaml (escalation targets, crisis settings) ships inside the bundle; FOGHORN_CONFIG points at it. */
  bundlesConfig?: boolean;
}

export const FUNCTION_ACCESS: Readonly<Record<string, FunctionAccess>> = {
  // Verifies signatures (platform secrets), stores the event, publishes it.
  ingest: { table: 'readWrite', putEvents: true, readSecret: true },
  // Evaluates rules (limit counters live in the table) and queues one command per action.
  evaluate: { table: 'readWrite', sendActions: true, bundlesRules: true },
  // Claims and records commands, calls the platforms and escalation targets (from the config) with their tokens,
  // defers or dead-letters a command.
  act: {
    table: 'readWrite',
    readSecret: true,
    delayActions: true,
    deadLetterActions: true,
    sendEmail: true,
    callsOut: true,
    bundlesConfig: true,
  },
  // Reads platforms without push (Reddit) with their tokens and feeds the bus like ingest.
  poll: { table: 'readWrite', putEvents: true, readSecret: true },
  // Fires due response timers as events on the bus; queues the resolve of a spike episode that went quiet.
  // It sends nothing itself, so it gets no secret.
  sweep: { table: 'readWrite', putEvents: true, sendActions: true, bundlesConfig: true },
  // The human-facing API: reads and conditionally updates single items (crisis switch, approvals, audit, events)
  // and queues an approved command. It sends nothing itself, so it gets no secret.
  api: { table: 'items', sendActions: true, bundlesConfig: true },
};

/** What `table: 'items'` grants: single-item reads and conditional writes, and queries of the table and its index. */
export const TABLE_ITEM_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'] as const;

/** Functions started by the clock rather than by a request or a queue; included only when their entry exists. */
export const SCHEDULES: Readonly<Record<string, { every: Duration; entry: string }>> = Object.fromEntries(
  Object.entries(topology.schedules).map(([name, schedule]) => [
    name,
    { every: Duration.minutes(schedule.everyMinutes), entry: topology.functions[name as keyof typeof topology.functions].entry },
  ]),
);

/** Where the bundled rule set and its config sit on Lambda (the bundle is unpacked in /var/task). */
export const BUNDLED_RULES_DIR = '/var/task/rules';
/** The same rules validated at synth, as one JSON file: what evaluate loads (no YAML parsing or schema checks at cold start). */
export const BUNDLED_COMPILED_RULES_PATH = '/var/task/rules.compiled.json';
export const BUNDLED_CONFIG_PATH = '/var/task/foghorn.config.yaml';

export interface FoghornStackProps extends StackProps {
  /** The rule set to ship, already validated by `rulesForDeployment` (infra/rules-for-deployment.ts). */
  rules: RulesForDeployment;
  /** Subscribed to the alarm topic when given. */
  alarmEmail?: string;
  /** The SES identity (verified domain or address) escalation emails are sent from; without it no function may send email. */
  emailIdentity?: string;
  /** Record every outbound call instead of sending it, even where credentials are set (a first or staging deploy). */
  sandbox?: boolean;
  logRetention?: RetentionDays;
  /** HTTP API stage throttling (requests per second, burst). */
  throttle?: { rateLimit: number; burstLimit: number };
}

/**
 * Foghorn on AWS, built from functions/app/topology.ts (the same object the local runtime is built from):
 * HTTP API → ingest → bus → events queue → evaluate → actions queue → act, one table, one secret.
 */
export class FoghornStack extends Stack {
  readonly table: Table;
  readonly bus: EventBus;
  readonly secret: Secret;
  readonly queues: Record<QueueName, QueueWithDeadLetters>;
  readonly functions: Record<string, FoghornFunction> = {};
  readonly api: HttpApi;
  readonly alarms: AlarmTopic;

  constructor(scope: Construct, id: string, props: FoghornStackProps) {
    super(scope, id, props);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE_KEYS.ttl,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.gsi1.name,
      partitionKey: { name: TABLE_KEYS.gsi1.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.gsi1.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    this.bus = new EventBus(this, 'Bus', { eventBusName: topology.busName });

    // One JSON object of FOGHORN_* keys; the generic webhook secret is generated, the rest set after deploy.
    this.secret = new Secret(this, 'Settings', {
      // Tokens are tedious to collect again; deleting the stack leaves them in place.
      removalPolicy: RemovalPolicy.RETAIN,
      description: 'Foghorn settings: one JSON object of FOGHORN_* keys (see docs/deploy.md)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'FOGHORN_GENERIC_SECRET',
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret holds third-party platform tokens that only the platforms can reissue; they are rotated by hand as docs/deploy.md describes.',
    });

    this.queues = mapValues(
      topology.queues,
      (spec, name) =>
        new QueueWithDeadLetters(this, `${pascal(name)}Queue`, {
          visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
          maxReceiveCount: spec.maxReceiveCount,
        }),
    );

    for (const [name, spec] of Object.entries(topology.functions)) {
      if (!existsSync(join(REPO_ROOT, spec.entry))) continue;
      const access = FUNCTION_ACCESS[name];
      if (!access)
        throw new Error(
          `function '${name}' in functions/app/topology.ts has no entry in FUNCTION_ACCESS (infra/stack.ts): say what it may touch`,
        );
      this.functions[name] = this.#function(name, spec, access, props);
    }

    // Queues feed their consumers, with failures reported per message.
    for (const [name, spec] of Object.entries(topology.queues) as Array<[QueueName, (typeof topology.queues)[QueueName]]>) {
      const consumer = this.#required(spec.consumer, `queue '${name}' is consumed by`);
      consumer.addEventSource(new SqsEventSource(this.queues[name].queue, { batchSize: spec.batchSize, reportBatchItemFailures: true }));
    }

    // Bus routes deliver to queues; an event EventBridge cannot deliver lands in the queue's dead letters.
    for (const route of topology.busRoutes) {
      const target = this.queues[route.targetQueue];
      new Rule(this, `Route${pascal(route.name)}`, {
        eventBus: this.bus,
        description: `${route.name}: ${route.pattern.source.join(',')} / ${route.pattern['detail-type'].join(',')} → ${route.targetQueue} queue`,
        eventPattern: { source: [...route.pattern.source], detailType: [...route.pattern['detail-type']] },
        // EventBridge's longest retry (185 attempts over 24 hours) before it gives up on the queue.
        targets: [new SqsQueue(target.queue, { deadLetterQueue: target.deadLetters, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
      });
    }

    this.api = this.#httpApi(props.logRetention, props.throttle);

    for (const [name, schedule] of Object.entries(SCHEDULES)) {
      const fn = this.functions[name];
      if (!fn) continue;
      new Rule(this, `${pascal(name)}Schedule`, {
        description: `Runs the ${name} function every ${schedule.every.toMinutes()} minute(s)`,
        schedule: Schedule.rate(schedule.every),
        targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
      });
    }

    this.alarms = new AlarmTopic(this, 'Alarms', { email: props.alarmEmail });
    for (const [name, { deadLetters }] of Object.entries(this.queues)) {
      this.alarms.alarmAbove(
        `${pascal(name)}DeadLetters`,
        deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        0,
        `Messages are waiting in the ${name} dead-letter queue: processing failed ${topology.queues[name as QueueName].maxReceiveCount} times or for good. Inspect them, fix the cause, then redrive (docs/deploy.md).`,
      );
    }
    for (const [name, fn] of Object.entries(this.functions)) {
      this.alarms.alarmAbove(
        `${pascal(name)}Errors`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        0,
        `The ${name} function threw or timed out in the last 5 minutes. Its log group has the error (docs/deploy.md).`,
      );
    }

    new CfnOutput(this, 'WebhookUrl', {
      value: `${this.api.apiEndpoint}/webhooks/{platform}`,
      description: "Point each platform's webhook here",
    });
    new CfnOutput(this, 'ApiInvokeArn', {
      value: this.api.arnForExecuteApi('*', '/api/*', '$default'),
      description: 'Grant execute-api:Invoke on this to the people and roles that may call the API',
    });
    new CfnOutput(this, 'ApiUrl', {
      value: `${this.api.apiEndpoint}/api`,
      description:
        'The crisis, approvals, audit and events API: SigV4-signed requests from principals granted execute-api:Invoke (docs/deploy.md)',
    });
    new CfnOutput(this, 'SecretArn', { value: this.secret.secretArn, description: 'Put the FOGHORN_* keys here as one JSON object' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    for (const [name, { deadLetters }] of Object.entries(this.queues)) {
      new CfnOutput(this, `${pascal(name)}DeadLettersUrl`, { value: deadLetters.queueUrl });
    }
    for (const [name, fn] of Object.entries(this.functions)) {
      new CfnOutput(this, `${pascal(name)}LogGroup`, { value: fn.logGroupName });
    }
  }

  #function(
    name: string,
    spec: (typeof topology.functions)[keyof typeof topology.functions],
    access: FunctionAccess,
    { rules, logRetention, emailIdentity, sandbox }: FoghornStackProps,
  ): FoghornFunction {
    const environment: Record<string, string> = { TABLE_NAME: this.table.tableName };
    const bundledPaths: BundledPath[] = [];
    if (access.putEvents) environment.BUS_NAME = this.bus.eventBusName;
    if (access.sendActions || access.delayActions) environment.ACTIONS_QUEUE_URL = this.queues.actions.queue.queueUrl;
    if (access.deadLetterActions) environment.ACTIONS_DLQ_URL = this.queues.actions.deadLetters.queueUrl;
    if (access.readSecret) environment.FOGHORN_SECRET_ARN = this.secret.secretArn;
    if (access.callsOut && sandbox) environment.FOGHORN_SANDBOX = 'true';
    if (access.bundlesRules) {
      environment.FOGHORN_RULES = BUNDLED_RULES_DIR;
      bundledPaths.push({ from: rules.dir, to: 'rules' });
      environment.FOGHORN_COMPILED_RULES = BUNDLED_COMPILED_RULES_PATH;
      bundledPaths.push({ from: rules.compiledPath, to: 'rules.compiled.json' });
    }
    // The config the rules were validated against travels with them, and with every function that reads it.
    if ((access.bundlesRules || access.bundlesConfig) && rules.configPath) {
      environment.FOGHORN_CONFIG = BUNDLED_CONFIG_PATH;
      bundledPaths.push({ from: rules.configPath, to: 'foghorn.config.yaml' });
    }

    // `api` would collide with the HTTP API's construct id.
    const fn = new FoghornFunction(this, name === 'api' ? 'ApiFunction' : pascal(name), {
      entry: spec.entry,
      description: spec.description,
      timeout: Duration.seconds(spec.timeoutSeconds),
      memorySize: spec.memoryMb,
      environment,
      bundledPaths,
      // CLD3 (1 MB of inline WebAssembly) is imported only when a candidate rule needs a post's language.
      ...(access.bundlesRules ? { modulesBeside: ['cld3-asm'] } : {}),
      logRetention,
    });

    if (access.table === 'readWrite') this.table.grantReadWriteData(fn);
    else if (access.table === 'items') this.table.grant(fn, ...TABLE_ITEM_ACTIONS);
    else this.table.grantReadData(fn);
    if (access.putEvents) this.bus.grantPutEventsTo(fn);
    if (access.sendActions) this.queues.actions.queue.grantSendMessages(fn);
    if (access.delayActions) this.queues.actions.queue.grant(fn, 'sqs:ChangeMessageVisibility');
    if (access.deadLetterActions) this.queues.actions.deadLetters.grantSendMessages(fn);
    if (access.readSecret) this.secret.grantRead(fn);
    if (access.sendEmail && emailIdentity) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [this.formatArn({ service: 'ses', resource: 'identity', resourceName: emailIdentity })],
        }),
      );
    }
    const tableLogicalId = this.getLogicalId(this.table.node.defaultChild as CfnElement);
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
      reason: 'The table grant covers its indexes: listings query gsi1, and the wildcard stays inside this one table.',
    });
    return fn;
  }

  #httpApi(logRetention: RetentionDays | undefined, throttle = { rateLimit: 100, burstLimit: 200 }): HttpApi {
    const api = new HttpApi(this, 'Api', { apiName: 'foghorn', description: 'Foghorn webhooks and API', createDefaultStage: false });
    const iam = new HttpIamAuthorizer();
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'ApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: AccessLogFormat.jsonWithStandardFields() },
    });
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of topology.http) {
      const fn = this.#required(route.function, `route ${route.method} ${route.path} goes to`);
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, fn);
        integrations.set(route.function, integration);
      }
      const auth: string | undefined = 'auth' in route ? route.auth : undefined;
      const [routed] = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        ...(auth === 'iam' ? { authorizer: iam } : {}),
      });
      if (auth === 'iam') continue;
      // Platforms cannot send IAM or JWT credentials; every webhook is authenticated by its signature in ingest.
      if (routed)
        Validations.of(routed).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            "Webhooks are authenticated by the platform's request signature, verified in constant time by the ingest function; platforms cannot present IAM, JWT or Lambda-authorizer credentials.",
        });
    }
    return api;
  }

  #required(name: string, what: string): FoghornFunction {
    const fn = this.functions[name];
    if (!fn) {
      const entry = (topology.functions as Record<string, { entry: string }>)[name]?.entry ?? `(no function '${name}' in topology)`;
      throw new Error(`functions/app/topology.ts: ${what} '${name}', but its handler ${entry} does not exist`);
    }
    return fn;
  }
}

function mapValues<K extends string, V, R>(record: Record<K, V>, map: (value: V, key: K) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value as V, key as K)])) as Record<K, R>;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `social-events` → `SocialEvents`, for construct ids. */
function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(capitalise)
    .join('');
}
