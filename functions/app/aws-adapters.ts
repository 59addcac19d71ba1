import { readFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { replyAnswerOf } from '../analytics/recorder.js';
import { DynamoSendRateLimiter } from '../aws/dynamo-send-rate-limiter.js';
import { EventBridgePublisher } from '../aws/event-bridge-publisher.js';
import { LambdaEnvironment } from '../aws/lambda-environment.js';
import { type SettingsLoader, secretsManagerSettings } from '../aws/secrets-manager-settings.js';
import { SesEmailSender } from '../aws/ses-email-sender.js';
import { SqsCommandQueue } from '../aws/sqs-command-queue.js';
import { SqsDeadLetterQueue } from '../aws/sqs-dead-letter-queue.js';
import { SqsDeadLetters } from '../aws/sqs-dead-letters.js';
import { SqsVisibility } from '../aws/sqs-visibility.js';
import { LiveSender, SandboxSender } from '../core/outbound/index.js';
import { systemClock } from '../core/ports.js';
import { type Settings, settingsFrom } from '../core/settings.js';
import type { CrisisStores } from '../crisis/crisis-kit.js';
import { GUARDED_ACTION_TYPES } from '../crisis/guarded-action-types.js';
import type { FoghornConfig } from '../rules/config.js';
import { DynamoActionStore } from '../storage/dynamo/action-store.js';
import { DynamoAnalyticsStore } from '../storage/dynamo/analytics-store.js';
import { DynamoAssignmentStore } from '../storage/dynamo/assignment-store.js';
import { ClaimCrisisChecks } from '../storage/dynamo/claim-crisis-checks.js';
import { dynamoCrisisStores } from '../storage/dynamo/crisis-stores.js';
import { DynamoCursorStore } from '../storage/dynamo/cursor-store.js';
import { DynamoDecisionStore } from '../storage/dynamo/decision-store.js';
import { DynamoEventStore } from '../storage/dynamo/event-store.js';
import { HeldCounts } from '../storage/dynamo/held-counts.js';
import { DynamoPostStore } from '../storage/dynamo/post-store.js';
import { DynamoRuleState } from '../storage/dynamo/rule-state.js';
import type { Adapters, AppLogger, TeamConfigSource } from './adapters.js';
import { type AppMetrics, METRIC_NAMES } from './app-metrics.js';
import type { RuleSource } from './rule-source.js';
import { topology } from './topology.js';

export interface AwsAdapterOptions {
  logger: AppLogger;
  metrics?: AppMetrics;
  /** Instruments every SDK client the adapters make (X-Ray, through Powertools' tracer). */
  instrument?: <Client>(client: Client) => Client;
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Reads a foghorn.config.yaml: the one FOGHORN_CONFIG names by hand, else one in the rules folder,
   * else the defaults. Given by the entries that accept YAML (importing the reader on first use); a
   * bundle whose entry gives none carries no YAML parser (evaluate).
   */
  yamlTeamConfig?: (env: LambdaEnvironment) => Promise<FoghornConfig>;
}

/**
 * The adapters a Lambda function runs on: DynamoDB, EventBridge, SQS, SES and Secrets Manager, from
 * the environment the stack sets. Built once per container; each member is made on first use, so a
 * function needs only the environment and permissions of what it uses. The provider reads the settings
 * secret again when its cache has expired, so a rotated token is seen without a cold start.
 */
export function awsAdapters(options: AwsAdapterOptions): () => Promise<Adapters> {
  let adapters: AwsAdapters | undefined;
  return async () => {
    adapters ??= new AwsAdapters(options);
    await adapters.refreshSettings();
    return adapters;
  };
}

class AwsAdapters implements Adapters {
  readonly clock = systemClock;
  readonly live = new LiveSender();
  readonly sandbox = new SandboxSender();
  readonly logger: AppLogger;
  readonly metrics: AppMetrics | undefined;
  /** A live view: the settings secret's keys once loaded, then the plain environment. */
  readonly settings: Settings = { get: (name) => this.#settings.get(name) };
  readonly #env: LambdaEnvironment;
  readonly #instrument: <Client>(client: Client) => Client;
  readonly #settingsLoader: SettingsLoader | undefined;
  readonly #yamlTeamConfig: AwsAdapterOptions['yamlTeamConfig'];
  #settings: Settings;
  readonly #built = new Map<string, unknown>();

  constructor(options: AwsAdapterOptions) {
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.#env = new LambdaEnvironment(options.env ?? process.env);
    this.#instrument = options.instrument ?? ((client) => client);
    this.#yamlTeamConfig = options.yamlTeamConfig;
    this.#settings = settingsFrom(this.#env.values);
    const secretId = this.#env.secretArn;
    this.#settingsLoader = secretId
      ? secretsManagerSettings({
          secretId,
          fallback: this.#settings,
          client: this.#lazyClient<SecretsManagerClient>(
            async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({}),
          ),
        })
      : undefined;
  }

  async refreshSettings(): Promise<void> {
    if (this.#settingsLoader) this.#settings = await this.#settingsLoader();
  }

  get forceSandbox(): boolean {
    return this.#env.sandbox;
  }

  /** Only where the stack set FOGHORN_SEND_RATES (act): the buckets live in the table. */
  get sendRates(): Adapters['sendRates'] {
    const rates = this.#env.sendRates;
    if (!rates) return undefined;
    return this.#once('sendRates', () => ({ limiter: new DynamoSendRateLimiter(this.#table()), rates }));
  }

  get actionLeaseMs(): number {
    return this.#env.actionLeaseMs ?? topology.actionLeaseMs;
  }

  get events(): DynamoEventStore {
    return this.#once('events', () => new DynamoEventStore(this.#table()));
  }

  get actions(): DynamoActionStore {
    // A reply's claim keeps its answer for the analytics function, which folds it from the table's stream.
    return this.#once(
      'actions',
      () => new DynamoActionStore({ ...this.#table(), crisisChecks: this.#crisisChecks(), answerOf: replyAnswerOf }),
    );
  }

  get decisions(): DynamoDecisionStore {
    return this.#once('decisions', () => new DynamoDecisionStore({ ...this.#table(), held: this.#heldCounts() }));
  }

  get ruleState(): DynamoRuleState {
    return this.#once('ruleState', () => new DynamoRuleState(this.#table()));
  }

  get cursors(): DynamoCursorStore {
    return this.#once('cursors', () => new DynamoCursorStore(this.#table()));
  }

  get crisisStores(): CrisisStores {
    return this.#once('crisisStores', () =>
      dynamoCrisisStores({ ...this.#table(), crisisChecks: this.#crisisChecks(), held: this.#heldCounts() }),
    );
  }

  /** A batch's spike counts and heartbeats, held by the counter and episode stores until the decision store settles them. */
  #heldCounts(): HeldCounts {
    return this.#once('heldCounts', () => new HeldCounts());
  }

  /** A reply's claim checks crisis mode in its own transaction, and the guard asks the crisis store about it. */
  #crisisChecks(): ClaimCrisisChecks {
    return this.#once('crisisChecks', () => new ClaimCrisisChecks((command) => GUARDED_ACTION_TYPES.includes(command.type)));
  }

  get posts(): DynamoPostStore {
    return this.#once('posts', () => new DynamoPostStore(this.#table()));
  }

  get assignments(): DynamoAssignmentStore {
    return this.#once('assignments', () => new DynamoAssignmentStore(this.#table()));
  }

  get analytics(): DynamoAnalyticsStore {
    // The figures come from the table's stream (the analytics function), so the pipeline writes none of them.
    return this.#once('analytics', () => new DynamoAnalyticsStore({ ...this.#table(), recordedFromStream: true }));
  }

  get bus(): EventBridgePublisher {
    return this.#once(
      'bus',
      () =>
        new EventBridgePublisher({
          busName: this.#env.busName,
          onFailed: (count) => this.metrics?.count(METRIC_NAMES.publishFailures, {}, count),
          client: this.#lazyClient<EventBridgeClient>(async () => new (await import('@aws-sdk/client-eventbridge')).EventBridgeClient({})),
        }),
    );
  }

  get actionsQueue(): SqsCommandQueue {
    return this.#once('actionsQueue', () => new SqsCommandQueue({ queueUrl: this.#env.actionsQueueUrl, client: this.#sqs() }));
  }

  get deadLetters(): SqsDeadLetters {
    return this.#once(
      'deadLetters',
      () => new SqsDeadLetters({ queueUrl: () => this.#env.actionsDeadLetterQueueUrl, client: this.#sqs() }),
    );
  }

  /**
   * The dead letters the api lists and redrives (`GET /api/dead-letters`, api-routes.ts): the actions queue's, back
   * to the actions queue. (The events queue's dead letters are EventBridge's undeliverable events, redriven in SQS.)
   */
  get deadLetterQueues(): { actions: SqsDeadLetterQueue } {
    return this.#once('deadLetterQueues', () => ({
      actions: new SqsDeadLetterQueue({
        queueUrl: () => this.#env.actionsDeadLetterQueueUrl,
        queueArn: () => this.#env.actionsDeadLetterQueueArn,
        destinationArn: () => this.#env.actionsQueueArn,
        client: this.#sqs(),
      }),
    }));
  }

  delayAction(receiptHandle: string, ms: number): Promise<void> {
    return this.#once('visibility', () => new SqsVisibility({ queueUrl: () => this.#env.actionsQueueUrl, client: this.#sqs() })).delay(
      receiptHandle,
      ms,
    );
  }

  get email(): SesEmailSender {
    return this.#once(
      'email',
      () => new SesEmailSender(this.#lazyClient<SESv2Client>(async () => new (await import('@aws-sdk/client-sesv2')).SESv2Client({}))),
    );
  }

  // The rule language and the config reader are imported on first use: ingest and poll never load them.
  get rules(): RuleSource {
    return this.#once('rules', () => {
      let loading: Promise<RuleSource> | undefined;
      const source = () => {
        loading ??= import('./rule-source.js').then(({ deployedRuleSource }) => deployedRuleSource(() => this.#env.compiledRulesPath));
        return loading;
      };
      return { current: async () => (await source()).current() };
    });
  }

  /**
   * The team config, read once: evaluate's is the one its compiled rule set was validated against;
   * FOGHORN_CONFIG, when set by hand, names a YAML file; otherwise the JSON the stack ships
   * (FOGHORN_TEAM_CONFIG), validated at synth. Only the YAML form parses anything but JSON.
   */
  get teamConfig(): TeamConfigSource {
    return this.#once('teamConfig', () => {
      let config: FoghornConfig | undefined;
      let loading: Promise<void> | undefined;
      return {
        load: () => {
          loading ??= this.#readTeamConfig().then((read) => {
            config = read;
          });
          loading.catch(() => {
            loading = undefined;
          });
          return loading;
        },
        current: () => {
          if (!config) throw new Error('the team config is read by teamConfig.load() before first use');
          return config;
        },
      };
    });
  }

  async #readTeamConfig(): Promise<FoghornConfig> {
    if (this.#env.hasCompiledRules) return (await this.rules.current()).compiled.config;
    const jsonPath = this.#env.teamConfigJsonPath;
    if (this.#env.configPath === undefined && jsonPath !== undefined) return readTeamConfigJson(jsonPath);
    if (!this.#yamlTeamConfig) {
      throw new Error(
        this.#env.configPath === undefined
          ? 'environment variable FOGHORN_TEAM_CONFIG is not set (the CDK stack sets it)'
          : `FOGHORN_CONFIG names a YAML file (${this.#env.configPath}), which this function does not read`,
      );
    }
    return this.#yamlTeamConfig(this.#env);
  }

  foghornBaseUrl(): string {
    return this.settings.get('FOGHORN_PUBLIC_URL') ?? 'https://foghorn.invalid';
  }

  #table(): { client: DynamoDBClient; tableName: string } {
    return this.#once('table', () => ({ client: this.#instrument(new DynamoDBClient({})), tableName: this.#env.tableName }));
  }

  #sqs(): Pick<SQSClient, 'send'> {
    return this.#once('sqs', () => this.#lazyClient<SQSClient>(async () => new (await import('@aws-sdk/client-sqs')).SQSClient({})));
  }

  /**
   * An SDK client made, and its package loaded, on its first request: a function loads only the clients
   * it uses, which is most of what a cold start spends beyond Node itself. DynamoDB, which every function
   * uses, is loaded with the module.
   */
  #lazyClient<Client extends { send: (...args: never[]) => Promise<unknown> }>(make: () => Promise<Client>): Pick<Client, 'send'> {
    let client: Promise<Client> | undefined;
    const send = async (...args: Parameters<Client['send']>) => {
      client ??= make().then((made) => this.#instrument(made));
      client.catch(() => {
        client = undefined;
      });
      return (await client).send(...args);
    };
    return { send } as unknown as Pick<Client, 'send'>;
  }

  #once<T>(name: string, build: () => T): T {
    if (!this.#built.has(name)) this.#built.set(name, build());
    return this.#built.get(name) as T;
  }
}

/** The team config written at synth as JSON (already validated there), checked only for its shape. */
async function readTeamConfigJson(path: string): Promise<FoghornConfig> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the team config ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${path}: the team config must be an object`);
  return value as FoghornConfig;
}
