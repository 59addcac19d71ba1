import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type FunctionName, type HttpRouteSpec, type QueueName, topology } from '../functions/app/topology.js';
import { CONSOLE_API_PREFIX } from '../functions/entries/lambda/console-access.js';
import { connectors } from '../functions/platforms/index.js';
import { type SendRate, sendRates } from '../functions/platforms/send-rates.js';
import { fastTextFilesBeside } from '../functions/rules/lang/fasttext.js';
import { LEXICON_WORDS_BESIDE, lexiconWordsFolder } from '../functions/rules/lang/lexicon/words-folder.js';
import { NGRAM_MODELS_BESIDE, ngramModelsFolder } from '../functions/rules/lang/ngrams/models-folder.js';
import { TABLE_KEYS } from '../functions/storage/dynamo/table.js';
import { ACCESS_LOG_FORMAT } from './constructs/access-log-format.js';
import { AlarmTopic } from './constructs/alarm-topic.js';
import { AnalyticsStream } from './constructs/analytics-stream.js';
import { ApiDomain, type ApiDomainOptions, checkApiDomainOptions } from './constructs/api-domain.js';
import { CanaryRelease } from './constructs/canary-release.js';
import { ConsoleAuth, hostedUiUrl } from './constructs/console-auth.js';
import { type ConsoleDeployment, ConsoleHosting } from './constructs/console-hosting.js';
import { FoghornDashboard } from './constructs/dashboard.js';
import { type BundledPath, FoghornFunction, REPO_ROOT } from './constructs/foghorn-function.js';
import { QueueWithDeadLetters } from './constructs/queue-with-dead-letters.js';
import { ScheduledFailures } from './constructs/scheduled-failures.js';
import { stormAlarms } from './constructs/storm-alarms.js';
import type { RulesForDeployment } from './rules-for-deployment.js';
import { type StageNames, stageNames } from './stage-names.js';
import { checkedLimits, type ThrottleLimits, type WebhookThrottleOptions, webhookThrottles } from './webhook-throttles.js';

export type { ThrottleLimits } from './webhook-throttles.js';

/**
 * A DynamoDB action (`dynamodb:<name>`) a function's code sends; scans and batches are none of them. A
 * transaction (TransactWriteItems) is allowed by the actions of its items (its Put needs PutItem, its Update
 * UpdateItem, its ConditionCheck ConditionCheckItem), which IAM checks item by item: there is no action of its
 * own to grant.
 */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'ConditionCheckItem';

/** What each function may touch; the stack grants exactly this and sets only the matching environment. */
export interface FunctionAccess {
  /** The actions its stage sends to the table's own keys (functions/storage/dynamo/*.ts), and no others. */
  table: readonly TableAction[];
  /** The actions it sends to the gsi1 and gsi2 indexes (listings, due timers, open episodes); none when absent. */
  index?: readonly 'Query'[];
  putEvents?: boolean;
  /** SendMessage on the actions queue (ACTIONS_QUEUE_URL). */
  sendActions?: boolean;
  /** ChangeMessageVisibility on the actions queue it consumes, to retry a command later (ACTIONS_QUEUE_URL). */
  delayActions?: boolean;
  /** SendMessage on the actions dead-letter queue, for commands that failed for good (ACTIONS_DLQ_URL). */
  deadLetterActions?: boolean;
  /**
   * Lists the actions dead-letter queue (ReceiveMessage, then ChangeMessageVisibility back to visible: nothing deleted)
   * and redrives it to the actions queue with SQS's move task (ACTIONS_DLQ_URL, ACTIONS_DLQ_ARN, ACTIONS_QUEUE_ARN).
   * AWS documents what a move task needs of its caller: StartMessageMoveTask, ReceiveMessage, DeleteMessage and
   * GetQueueAttributes on the source queue, SendMessage on the destination (sendActions gives that).
   */
  redriveActions?: boolean;
  /**
   * Which secret it reads (FOGHORN_SECRET_ARN): `inbound`, the webhook signing secrets ingest verifies deliveries with;
   * `outbound`, the platform tokens the functions that call platforms send with. No function reads both: the one
   * that parses untrusted input never holds a token.
   */
  secret?: 'inbound' | 'outbound';
  /** SES SendEmail from the stack's `emailIdentity` (escalations by email); nothing when none is configured. */
  sendEmail?: boolean;
  /** Calls the outside world; FOGHORN_SANDBOX=true when the stack is deployed in sandbox mode. */
  callsOut?: boolean;
  /**
   * The rule set ships inside the bundle (FOGHORN_RULES), and the same rules validated at synth as one JSON
   * file (FOGHORN_COMPILED_RULES), which also carries the team config they were validated against.
   */
  bundlesRules?: boolean;
  /**
   * The team config (escalation targets, crisis settings) validated at synth ships inside the bundle as JSON;
   * FOGHORN_TEAM_CONFIG points at it. (FOGHORN_CONFIG, set by hand, still names a foghorn.config.yaml.)
   */
  bundlesConfig?: boolean;
  /**
   * Sends to platforms through their send rates (FOGHORN_SEND_RATES, functions/platforms/send-rates.ts), one bucket per
   * platform in the table (UpdateItem and GetItem on `SENDRATE#<platform>`, within its table actions).
   */
  sendRates?: boolean;
}

export const FUNCTION_ACCESS: Readonly<Record<string, FunctionAccess>> = {
  // Verifies signatures (platform secrets), stores each event with the raw payload in one conditional put
  // (a redelivery is refused by the condition, never read), quarantines what does not parse. A helpdesk's webhook
  // reads which conversation its ticket belongs to (GetItem) and stores the ticket.solved event like the others.
  ingest: { table: ['GetItem', 'PutItem'], putEvents: true, secret: 'inbound' },
  // Evaluates rules (decisions, limit windows, spike counters and episodes, SLA timers) and queues one command
  // per action. Query: counter buckets and the timers waiting in a conversation; DeleteItem: an answer settles
  // a timer and removes its conversation entries.
  evaluate: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'], sendActions: true, bundlesRules: true },
  // Claims and records commands, calls the platforms and escalation targets (from the config) with their tokens,
  // defers or dead-letters a command; holds file approvals. A reply's claim is a transaction with a ConditionCheck
  // that crisis mode is off (ConditionCheckItem); with it on, the guard reads the switch (GetItem). A completion
  // with effects is one transaction: the record's UpdateItem, the tagged event's UpdateItem, the answer in the
  // reply's conversation (UpdateItem: the timers waiting there are settled from it by the sweep) and the audit
  // line's PutItem. A helpdesk that refused a ticket for good gives up the conversation's reservation (UpdateItem).
  act: {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem'],
    secret: 'outbound',
    delayActions: true,
    deadLetterActions: true,
    sendEmail: true,
    callsOut: true,
    bundlesConfig: true,
    sendRates: true,
  },
  // Reads platforms without push (Reddit) and the team config's listening sources (searches, feeds) with their
  // tokens and feeds the store and the bus like ingest; each cursor and source status is one item. A source that
  // keeps failing is audited (PutItem) and escalated through the actions queue; the sources are in the bundled config.
  poll: { table: ['GetItem', 'PutItem'], putEvents: true, secret: 'outbound', sendActions: true, bundlesConfig: true },
  // Fires due response timers (found through gsi1) as events on the bus, settling them (DeleteItem removes their
  // conversation entries); ends quiet spike episodes and queues their resolves; expires approvals; queues the
  // scheduled posts due by this minute (found through gsi1, moved on by conditional puts) or suspends them in crisis
  // mode. An episode's close is a transaction that checks its heartbeats (ConditionCheckItem). It sends nothing
  // itself, so it gets no secret.
  sweep: {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
    index: ['Query'],
    putEvents: true,
    sendActions: true,
    bundlesConfig: true,
  },
  // The human-facing API: reads and conditionally updates single items (crisis switch, approvals, audit, events),
  // lists through gsi1 and gsi2 (a gsi2 listing reads its page's items with BatchGetItem), reads a day's analytics buckets and a conversation's timers (Query on the table), peeks at a
  // rule's breaker (GetItem), queues an approved command, schedules, cancels and releases posts (conditional puts,
  // listed through gsi1), and lists and redrives the actions dead letters. A reassignment restarts the conversation's
  // unanswered timer: the new one is put, the old one settled (DeleteItem removes its conversation entries). It reads
  // the rule set in force as evaluate does (the rules bundled with it). It sends nothing itself, so it gets no secret.
  api: {
    table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
    index: ['Query'],
    sendActions: true,
    redriveActions: true,
    bundlesRules: true,
    bundlesConfig: true,
  },
};

/**
 * Each `/api` route's throttle, also the stage default for any route without one of its own: the `/api` routes are
 * for people and their scripts. Each platform's webhook routes have their own (DEFAULT_PLATFORM_THROTTLES,
 * infra/webhook-throttles.ts), so a flood on one side never uses up the other's.
 */
export const DEFAULT_THROTTLES: Readonly<{ api: ThrottleLimits }> = {
  api: { rateLimit: 10, burstLimit: 20 },
};

/**
 * The most instances of each function at once (reserved concurrency), which bounds what a flood or a loop
 * can cost and keeps the queue consumers from taking the account's pool from webhooks and the crisis switch.
 * ingest matches the sum of the platform throttles (about 670 requests/s) at 150 ms a delivery (Little's law:
 * 670 × 0.15 ≈ 100); evaluate and act are also their queue's poller cap (MaximumConcurrency); the scheduled
 * functions may overlap their next run once. 129 in all: an account with the default quota (1,000) keeps far
 * more than the 100 Lambda leaves unreserved.
 */
export const DEFAULT_RESERVED_CONCURRENCY: Readonly<Record<FunctionName, number>> = {
  ingest: 100,
  evaluate: 10,
  act: 10,
  poll: 2,
  sweep: 2,
  api: 5,
};

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
/** The team config validated at synth, as JSON: what act, sweep and api read (no YAML at a cold start). */
export const BUNDLED_TEAM_CONFIG_PATH = '/var/task/team-config.json';

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
  /**
   * Route throttles: `platforms.<name>` for one platform's webhook routes, `webhooks` for every platform's (over
   * DEFAULT_PLATFORM_THROTTLES), `api` for each `/api` route and the stage default (DEFAULT_THROTTLES).
   */
  throttle?: WebhookThrottleOptions & { api?: ThrottleLimits };
  /**
   * Reserved concurrency per function, over DEFAULT_RESERVED_CONCURRENCY; `false` reserves none, for an
   * account whose concurrency quota is too small to reserve from (new accounts often have 10). Queue
   * consumers keep their poller cap either way.
   */
  reservedConcurrency?: false | Partial<Record<FunctionName, number>>;
  /**
   * A customer-managed KMS key for the table (it holds raw payloads) and every log group: `create` makes
   * one in the stack (rotated, kept when the stack is deleted), or the ARN of an existing key whose policy
   * lets CloudWatch Logs use it (docs/deploy.md). Without it, AWS-managed encryption.
   */
  encryptionKey?: 'create' | string;
  /**
   * X-Ray active tracing of every function (default true). `false` turns it off in Lambda and in Powertools'
   * tracer (POWERTOOLS_TRACE_ENABLED=false): no segments, no traced SDK clients.
   */
  tracing?: boolean;
  /** The ops console on S3 and CloudFront, with Cognito sign-in and the JWT-authorised console routes; none without it. */
  console?: ConsoleDeployment;
  /**
   * The deployment's stage (default `prod`): it prefixes the stack's name and every name the stack gives a resource
   * (infra/stage-names.ts), so stages live side by side in one account and region.
   */
  stage?: string;
  /** The HTTP API on a custom domain (an ACM certificate in the stack's region); webhooks, the API and the console use it. */
  domain?: ApiDomainOptions;
  /**
   * Functions released by canary through their `live` alias (default evaluate, act and ingest): each deploy shifts
   * 10% of the traffic to the new version for five minutes and rolls back on an alarm (docs/deploy.md).
   */
  canary?: readonly FunctionName[];
  /**
   * Each platform's send rate over DEFAULT_SEND_RATES (functions/platforms/send-rates.ts): `{ "telegram": { "rateLimit":
   * 20, "burstLimit": 20 } }` for a bot on a shared limit, or more for a higher tier. Every act instance shares it.
   */
  sendRates?: Readonly<Record<string, SendRate>>;
}

/** The functions released by canary unless the props say otherwise. */
export const DEFAULT_CANARY: readonly FunctionName[] = ['ingest', 'evaluate', 'act'];

/**
 * Foghorn on AWS, built from functions/app/topology.ts (the same object the local runtime is built from):
 * HTTP API → ingest → bus → events queue → evaluate → actions queue → act, one table, two secrets (inbound
 * webhook secrets, outbound credentials).
 */
export class FoghornStack extends Stack {
  readonly table: Table;
  readonly bus: EventBus;
  /** Outbound credentials (platform tokens): act and poll read it. */
  readonly secret: Secret;
  /** Inbound webhook signing secrets: only ingest reads it. */
  readonly webhookSecret: Secret;
  /** The `live` alias of each function released by canary; its triggers call the alias. */
  readonly releases: Partial<Record<FunctionName, CanaryRelease>> = {};
  readonly queues: Record<QueueName, QueueWithDeadLetters>;
  readonly functions: Record<string, FoghornFunction> = {};
  readonly api: HttpApi;
  readonly alarms: AlarmTopic;
  /** The customer-managed key of the table and the log groups, when one is configured. */
  readonly encryptionKey: IKey | undefined;
  readonly console: { hosting: ConsoleHosting; auth: ConsoleAuth } | undefined;
  readonly names: StageNames;
  /** The API's custom domain, when the stack has one. */
  readonly domain: ApiDomain | undefined;
  /** `https://…` where webhooks and the API are reached: the custom domain when there is one, else the execute-api endpoint. */
  readonly apiUrl: string;
  readonly dashboard: FoghornDashboard;
  /** The analytics function and its stream, dead letters and alarms (apart from `functions`: no queue, no route). */
  readonly analyticsStream: AnalyticsStream;
  /** The send rates act keeps to, per platform: the defaults with the props' over them. */
  readonly sendRates: Readonly<Record<string, SendRate>>;

  constructor(scope: Construct, id: string, props: FoghornStackProps) {
    const names = stageNames(props.stage);
    // Options the stack cannot use stop it before anything is built.
    if (props.domain) checkApiDomainOptions(props.domain);
    const platformThrottles = webhookThrottles(props.throttle);
    const apiThrottle = checkedLimits(props.throttle?.api ?? DEFAULT_THROTTLES.api, 'throttle.api');
    const platformSendRates = sendRates(props.sendRates, Object.keys(connectors));
    super(scope, id, { ...props, stackName: props.stackName ?? names.stack });
    this.names = names;
    this.sendRates = platformSendRates;
    Tags.of(this).add('foghorn:stage', names.stage);
    Tags.of(this).add('foghorn:stack', names.stack);

    this.encryptionKey =
      props.encryptionKey === undefined
        ? undefined
        : props.encryptionKey === 'create'
          ? this.#createEncryptionKey()
          : Key.fromKeyArn(this, 'EncryptionKey', props.encryptionKey);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE_KEYS.ttl,
      tableName: names.table,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // A stack deleted or replaced by mistake cannot take the table with it; `cdk destroy` leaves it too.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(this.encryptionKey ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: this.encryptionKey } : {}),
      // The analytics function folds the pipeline's changes from it (infra/constructs/analytics-stream.ts).
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.gsi1.name,
      partitionKey: { name: TABLE_KEYS.gsi1.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.gsi1.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    // What is written per event is listed from 16 shards of keys only (functions/storage/dynamo/sharded-listing.ts).
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.gsi2.name,
      partitionKey: { name: TABLE_KEYS.gsi2.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.gsi2.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });

    this.bus = new EventBus(this, 'Bus', { eventBusName: names.bus });

    // One JSON object of FOGHORN_* keys each; the generic platform's secret is generated, the rest set after deploy.
    // The outbound secret keeps the construct id and name the single secret had, so a deployed stack keeps its tokens.
    this.secret = new Secret(this, 'Settings', {
      secretName: names.secret,
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
    this.webhookSecret = new Secret(this, 'WebhookSecrets', {
      secretName: names.webhookSecret,
      removalPolicy: RemovalPolicy.RETAIN,
      description: "Foghorn webhook secrets: the FOGHORN_* keys ingest verifies the platforms' deliveries with (see docs/deploy.md)",
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'FOGHORN_GENERIC_SECRET',
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    Validations.of(this.webhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret holds the signing secrets each platform issued for its webhooks; only the platform can issue a new one, so they are rotated by hand as docs/deploy.md describes.',
    });

    this.queues = mapValues(
      topology.queues,
      (spec, name) =>
        new QueueWithDeadLetters(this, `${pascal(name)}Queue`, {
          visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
          maxReceiveCount: spec.maxReceiveCount,
          queueName: names.queue(name),
          deadLettersName: names.deadLetters(name),
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
    this.alarms = new AlarmTopic(this, 'Alarms', { email: props.alarmEmail, topicName: names.alarmTopic });

    // Queues feed their consumers, with failures reported per message.
    for (const [name, spec] of Object.entries(topology.queues) as Array<[QueueName, (typeof topology.queues)[QueueName]]>) {
      this.#required(spec.consumer, `queue '${name}' is consumed by`);
      // No more pollers than the consumer may run: a throttled receive would count towards the dead letters.
      const maxConcurrency = concurrencyLimits(props.reservedConcurrency)[spec.consumer];
      if (maxConcurrency < 2)
        throw new Error(
          `reservedConcurrency.${spec.consumer} is ${maxConcurrency}: a queue consumer needs at least 2 (SQS maximum concurrency)`,
        );
      this.#invoked(spec.consumer).addEventSource(
        new SqsEventSource(this.queues[name].queue, { batchSize: spec.batchSize, reportBatchItemFailures: true, maxConcurrency }),
      );
    }

    // Bus routes deliver to queues; an event EventBridge cannot deliver lands in the queue's dead letters.
    const busRules: Rule[] = [];
    for (const route of topology.busRoutes) {
      const target = this.queues[route.targetQueue];
      const rule = new Rule(this, `Route${pascal(route.name)}`, {
        eventBus: this.bus,
        description: `${route.name}: ${route.pattern.source.join(',')} / ${route.pattern['detail-type'].join(',')} → ${route.targetQueue} queue`,
        eventPattern: { source: [...route.pattern.source], detailType: [...route.pattern['detail-type']] },
        // EventBridge's longest retry (185 attempts over 24 hours) before it gives up on the queue.
        targets: [new SqsQueue(target.queue, { deadLetterQueue: target.deadLetters, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
      });
      busRules.push(rule);
    }

    const { api, accessLogs } = this.#httpApi(props.logRetention, { platforms: platformThrottles, api: apiThrottle });
    this.api = api;
    this.domain = props.domain
      ? new ApiDomain(this, 'ApiDomain', { ...props.domain, api: this.api, stage: this.node.findChild('ApiStage') as HttpStage })
      : undefined;
    this.apiUrl = this.domain?.url ?? this.api.apiEndpoint;
    this.console = props.console ? this.#console(props.console, props.logRetention) : undefined;

    const scheduledFailures = new ScheduledFailures(this, 'ScheduledFailures', {
      queueName: names.queue('scheduled-failures'),
      deadLettersName: names.deadLetters('scheduled-failures'),
    });
    const scheduleRules: Rule[] = [];
    for (const [name, schedule] of Object.entries(SCHEDULES)) {
      const fn = this.functions[name];
      if (!fn) continue;
      scheduleRules.push(
        new Rule(this, `${pascal(name)}Schedule`, {
          description: `Runs the ${name} function every ${schedule.every.toMinutes()} minute(s)`,
          schedule: Schedule.rate(schedule.every),
          targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
        }),
      );
      scheduledFailures.watch(fn, schedule.every);
    }

    const { perFunction } = stormAlarms(this.alarms, {
      stage: names.stage,
      api: this.api,
      accessLogs,
      functions: this.functions,
      queues: mapValues(this.queues, (queue) => queue.queue),
      table: this.table,
      bus: this.bus,
      busRules,
      scheduleRules,
    });
    this.alarms.alarmAbove(
      'ScheduledFailures',
      scheduledFailures.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      0,
      "A scheduled run (sweep or poll) failed: its invocation record is in the scheduled-failures queue. The next run goes on from where the stores say; read the error in the function's log group (docs/deploy.md).",
    );
    for (const [name, { deadLetters }] of Object.entries(this.queues)) {
      this.alarms.alarmAbove(
        `${pascal(name)}DeadLetters`,
        deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        0,
        `Messages are waiting in the ${name} dead-letter queue: processing failed ${topology.queues[name as QueueName].maxReceiveCount} times or for good. Inspect them, fix the cause, then redrive (docs/deploy.md).`,
      );
    }
    for (const [name, fn] of Object.entries(this.functions)) {
      const errors = this.alarms.alarmAbove(
        `${pascal(name)}Errors`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        0,
        `The ${name} function threw or timed out in the last 5 minutes. Its log group has the error (docs/deploy.md).`,
      );
      // The alias was made with the function; its deployment waits for the alarms it is gated on.
      this.releases[name as FunctionName]?.deploymentGroup.addAlarm(errors);
      for (const alarm of perFunction[name] ?? []) this.releases[name as FunctionName]?.deploymentGroup.addAlarm(alarm);
    }

    // Analytics, off the pipeline: the table's stream folded by its own function (its grants, DLQ and alarms inside).
    this.analyticsStream = new AnalyticsStream(this, 'AnalyticsStream', {
      table: this.table,
      alarms: this.alarms,
      functionName: names.function('analytics'),
      deadLettersName: names.deadLetters('analytics-stream'),
      stage: names.stage,
      teamConfig: { bundled: { from: props.rules.teamConfigPath, to: 'team-config.json' }, path: BUNDLED_TEAM_CONFIG_PATH },
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      ...(this.encryptionKey ? { encryptionKey: this.encryptionKey } : {}),
      tracing: props.tracing !== false,
    });

    new CfnOutput(this, 'WebhookUrl', {
      value: `${this.apiUrl}/webhooks/{platform}`,
      description: "Point each platform's webhook here",
    });
    new CfnOutput(this, 'ApiInvokeArn', {
      value: this.api.arnForExecuteApi('*', '/api/*', '$default'),
      description: 'Grant execute-api:Invoke on this to the people and roles that may call the API',
    });
    new CfnOutput(this, 'ApiUrl', {
      value: `${this.apiUrl}/api`,
      description:
        'The crisis, approvals, audit and events API: SigV4-signed requests from principals granted execute-api:Invoke (docs/deploy.md)',
    });
    new CfnOutput(this, 'SecretArn', {
      value: this.secret.secretArn,
      description: 'Put the platform tokens (outbound FOGHORN_* keys) here as one JSON object',
    });
    new CfnOutput(this, 'WebhookSecretArn', {
      value: this.webhookSecret.secretArn,
      description: "Put the platforms' webhook signing secrets (inbound FOGHORN_* keys) here as one JSON object",
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    for (const [name, { deadLetters }] of Object.entries(this.queues)) {
      new CfnOutput(this, `${pascal(name)}DeadLettersUrl`, { value: deadLetters.queueUrl });
    }
    for (const [name, fn] of Object.entries(this.functions)) {
      new CfnOutput(this, `${pascal(name)}LogGroup`, { value: fn.logGroupName });
    }

    this.dashboard = new FoghornDashboard(this, 'Dashboard', {
      dashboardName: names.dashboard,
      stage: names.stage,
      platforms: Object.keys(connectors),
      functions: this.functions,
      queues: this.queues,
    });
    new CfnOutput(this, 'DashboardName', { value: names.dashboard, description: 'The CloudWatch dashboard of this stage' });
  }

  #function(
    name: string,
    spec: (typeof topology.functions)[keyof typeof topology.functions],
    access: FunctionAccess,
    { rules, logRetention, emailIdentity, sandbox, reservedConcurrency, tracing, canary }: FoghornStackProps,
  ): FoghornFunction {
    const environment: Record<string, string> = { TABLE_NAME: this.table.tableName };
    const bundledPaths: BundledPath[] = [];
    if (access.putEvents) environment.BUS_NAME = this.bus.eventBusName;
    if (access.sendActions || access.delayActions) environment.ACTIONS_QUEUE_URL = this.queues.actions.queue.queueUrl;
    if (access.deadLetterActions || access.redriveActions) environment.ACTIONS_DLQ_URL = this.queues.actions.deadLetters.queueUrl;
    if (access.redriveActions) {
      environment.ACTIONS_DLQ_ARN = this.queues.actions.deadLetters.queueArn;
      environment.ACTIONS_QUEUE_ARN = this.queues.actions.queue.queueArn;
    }
    const secret = access.secret === 'inbound' ? this.webhookSecret : access.secret === 'outbound' ? this.secret : undefined;
    if (secret) environment.FOGHORN_SECRET_ARN = secret.secretArn;
    if (access.callsOut && sandbox) environment.FOGHORN_SANDBOX = 'true';
    if (access.sendRates) environment.FOGHORN_SEND_RATES = JSON.stringify(this.sendRates);
    if (access.bundlesRules) {
      environment.FOGHORN_RULES = BUNDLED_RULES_DIR;
      bundledPaths.push({ from: rules.dir, to: 'rules' });
      environment.FOGHORN_COMPILED_RULES = BUNDLED_COMPILED_RULES_PATH;
      bundledPaths.push({ from: rules.compiledPath, to: 'rules.compiled.json' });
      // The language lexicon's word lists (2 MB of JSON) are data beside index.mjs, read once when text needs them.
      bundledPaths.push({ from: lexiconWordsFolder(), to: LEXICON_WORDS_BESIDE });
      // Lingua's n-gram models (5 MB, brotli) likewise, read per script when short undecided text needs them.
      bundledPaths.push({ from: ngramModelsFolder(), to: NGRAM_MODELS_BESIDE });
    }
    // The config the rules were validated against travels with them (inside rules.compiled.json), and with
    // every other function that reads it.
    if (access.bundlesConfig) {
      environment.FOGHORN_TEAM_CONFIG = BUNDLED_TEAM_CONFIG_PATH;
      bundledPaths.push({ from: rules.teamConfigPath, to: 'team-config.json' });
    }

    // fastText's model and WebAssembly (1.3 MB) beside index.mjs: the package beside it is one JS file without them.
    if (access.bundlesRules) bundledPaths.push(...fastTextFilesBeside());
    // `api` would collide with the HTTP API's construct id.
    const fn = new FoghornFunction(this, name === 'api' ? 'ApiFunction' : pascal(name), {
      functionName: this.names.function(name),
      stage: this.names.stage,
      entry: spec.entry,
      description: spec.description,
      timeout: Duration.seconds(spec.timeoutSeconds),
      memorySize: spec.memoryMb,
      environment,
      bundledPaths,
      // CLD3 (1 MB of inline WebAssembly) is imported only when a candidate rule needs a post's language,
      // re2js (150 KB) only when a rule uses `matches`, the tracer with the X-Ray SDK (125 KB) only when
      // tracing is on, and json-rules-engine (80 KB) only to explain or for a rule the matcher cannot compile.
      ...(access.bundlesRules
        ? { modulesBeside: ['cld3-asm', 'fasttext.wasm.js', 're2js', '@aws-lambda-powertools/tracer', 'json-rules-engine'] }
        : {}),
      tracing: tracing !== false,
      logRetention,
      ...(this.encryptionKey ? { encryptionKey: this.encryptionKey } : {}),
      ...(reservedConcurrency === false
        ? {}
        : { reservedConcurrentExecutions: concurrencyLimits(reservedConcurrency)[name as FunctionName] }),
    });

    fn.addToRolePolicy(
      new PolicyStatement({ actions: access.table.map((action) => `dynamodb:${action}`), resources: [this.table.tableArn] }),
    );
    if (access.index?.length)
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: access.index.map((action) => `dynamodb:${action}`),
          resources: [TABLE_KEYS.gsi1.name, TABLE_KEYS.gsi2.name].map((index) => `${this.table.tableArn}/index/${index}`),
        }),
      );
    // DynamoDB decrypts the table key on the caller's behalf; the role may use the key for nothing else.
    if (this.encryptionKey)
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [this.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.amazonaws.com` } },
        }),
      );
    if (access.putEvents) this.bus.grantPutEventsTo(fn);
    if (access.sendActions) this.queues.actions.queue.grantSendMessages(fn);
    if (access.delayActions) this.queues.actions.queue.grant(fn, 'sqs:ChangeMessageVisibility');
    if (access.deadLetterActions) this.queues.actions.deadLetters.grantSendMessages(fn);
    if (access.redriveActions)
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [
            'sqs:ChangeMessageVisibility',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
            'sqs:ReceiveMessage',
            'sqs:StartMessageMoveTask',
          ],
          resources: [this.queues.actions.deadLetters.queueArn],
        }),
      );
    secret?.grantRead(fn);
    if (access.sendEmail && emailIdentity) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [this.formatArn({ service: 'ses', resource: 'identity', resourceName: emailIdentity })],
        }),
      );
    }
    if ((canary ?? DEFAULT_CANARY).includes(name as FunctionName))
      this.releases[name as FunctionName] = new CanaryRelease(this, `${pascal(name)}Release`, { fn, alarms: [] });
    return fn;
  }

  /** What a trigger calls: the `live` alias of a function released by canary, else the function itself. */
  #invoked(name: string): IFunction {
    return this.releases[name as FunctionName]?.alias ?? this.#required(name, 'a trigger calls');
  }

  /** Rotated yearly, kept with the table it protects (deleting it would make the retained table unreadable). */
  #createEncryptionKey(): Key {
    const key = new Key(this, 'EncryptionKey', {
      enableKeyRotation: true,
      description: 'Encrypts the Foghorn table (raw payloads) and its log groups',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts a log group's data itself, and only for this account's log groups here.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    return key;
  }

  #httpApi(
    logRetention: RetentionDays | undefined,
    throttle: { platforms: Record<string, ThrottleLimits>; api: ThrottleLimits },
  ): { api: HttpApi; accessLogs: LogGroup } {
    const api = new HttpApi(this, 'Api', {
      apiName: this.names.api,
      description: `Foghorn webhooks and API (${this.names.stage})`,
      createDefaultStage: false,
    });
    const iam = new HttpIamAuthorizer();
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      logGroupName: this.names.logs('api-access'),
      retention: logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
      ...(this.encryptionKey ? { encryptionKey: this.encryptionKey } : {}),
    });
    // The stage default is the tighter limit: a route without its own throttle gets no more than /api.
    const stage = new HttpStage(this, 'ApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: throttle.api,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of awsRoutes(Object.keys(throttle.platforms))) {
      this.#required(route.function, `route ${route.method} ${route.path} goes to`);
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, this.#invoked(route.function));
        integrations.set(route.function, integration);
      }
      const auth: string | undefined = route.auth;
      const [routed] = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        ...(auth === 'iam' ? { authorizer: iam } : {}),
      });
      // Each platform and each /api route gets its own limit: one platform's flood cannot use up another's or the console's.
      const limits = route.platform === undefined ? throttle.api : throttle.platforms[route.platform]!;
      routeSettings[`${route.method} ${route.path}`] = { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit };
      // CloudFormation refuses route settings for a route that does not exist yet.
      if (routed) stage.node.addDependency(routed);
      if (auth === 'iam') continue;
      // Platforms cannot send IAM or JWT credentials; every webhook is authenticated by its signature in ingest.
      if (routed)
        Validations.of(routed).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            "Webhooks are authenticated by the platform's request signature, verified in constant time by the ingest function; platforms cannot present IAM, JWT or Lambda-authorizer credentials.",
        });
    }
    (stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
    return { api, accessLogs };
  }

  /** The console's files behind CloudFront, its user pool, and its copy of the `/api` routes behind their JWT authorizer. */
  #console(console: ConsoleDeployment, logRetention: RetentionDays | undefined): { hosting: ConsoleHosting; auth: ConsoleAuth } {
    const domainPrefix = console.signInDomainPrefix ?? this.names.signInDomainPrefix(this.account);
    const hosting = new ConsoleHosting(this, 'Console', {
      build: console.build,
      api: this.api,
      ...(this.domain ? { apiDomainName: this.domain.domainName } : {}),
      namePrefix: this.names.prefix,
      logGroupName: this.names.logs('console-deployment'),
      apiPathPrefix: CONSOLE_API_PREFIX,
      connectTo: [hostedUiUrl(this, domainPrefix)],
      logRetention,
      ...(this.encryptionKey ? { encryptionKey: this.encryptionKey } : {}),
    });
    const auth = new ConsoleAuth(this, 'ConsoleAuth', { consoleUrl: hosting.url, domainPrefix, userPoolName: this.names.userPool });
    auth.routeConsoleApi({
      api: this.api,
      handler: this.#required('api', 'the console calls'),
      routes: topology.http.filter((route) => 'auth' in route && route.auth === 'iam'),
      stage: this.node.findChild('ApiStage') as HttpStage,
    });
    hosting.deployConfig({ runtime: 'aws', api: '/api', live: 'poll', signIn: auth.signIn });
    new CfnOutput(this, 'ConsoleUrl', { value: hosting.url, description: 'The ops console; people sign in with the user pool below' });
    new CfnOutput(this, 'ConsoleUserPoolId', {
      value: auth.userPool.userPoolId,
      description: 'Add console users here, each in one group: viewer, agent, lead or admin (docs/console.md)',
    });
    return { hosting, auth };
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

/**
 * The HTTP routes on AWS: topology.http with each `/webhooks/{platform}` route made one route per webhook platform
 * (`POST /webhooks/slack`, …), so each platform has a throttle of its own; ingest reads the platform from the route.
 */
export function awsRoutes(platforms: readonly string[]): Array<HttpRouteSpec & { platform?: string }> {
  return (topology.http as readonly HttpRouteSpec[]).flatMap((route) =>
    route.path.includes('{platform}')
      ? platforms.map((platform) => ({ ...route, path: route.path.replace('{platform}', platform), platform }))
      : [route],
  );
}

/** Each function's concurrency limit: the defaults, overridden per function. */
function concurrencyLimits(reserved: FoghornStackProps['reservedConcurrency']): Record<FunctionName, number> {
  return { ...DEFAULT_RESERVED_CONCURRENCY, ...(reserved || {}) };
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
