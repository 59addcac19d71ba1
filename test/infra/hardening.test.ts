import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../functions/app/topology.js';
import { DEFAULT_SEND_RATES, parseSendRates } from '../../functions/platforms/send-rates.js';
import { ensureTable, TABLE_KEYS } from '../../functions/storage/dynamo/table.js';
import { AwsSolutionsChecks } from '../../infra/constructs/nag.js';
import { DEFAULT_RESERVED_CONCURRENCY, DEFAULT_THROTTLES, FoghornStack } from '../../infra/stack.js';
import { DEFAULT_PLATFORM_THROTTLES, WEBHOOK_PLATFORMS, webhookThrottles } from '../../infra/webhook-throttles.js';
import { mappingCalls, type Synthesised, statementsOf, synthesise, tableGrantsOf } from './synth.js';

/**
 * What the stack limits on AWS: each function's table actions, each route's throttle, each function's
 * concurrency, and a customer-managed key when one is asked for. (Bundling is skipped: this is about wiring.)
 */
type Resources = Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string }>;

const synths: Synthesised[] = [];
async function synth(props: Parameters<typeof synthesise>[0]['props'] = {}) {
  const made = await synthesise({ bundle: false, props });
  synths.push(made);
  return { synth: made, resources: made.template.toJSON().Resources as Resources };
}
afterAll(() => {
  for (const made of synths) made.dispose();
});

const ofType = (resources: Resources, type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const roleOf = (resources: Resources, functionId: string) =>
  (resources[functionId]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

let plain: Awaited<ReturnType<typeof synth>>;
beforeAll(async () => {
  plain = await synth();
}, 120_000);

describe('table permissions', () => {
  it('grant each function exactly the DynamoDB actions its stage sends, and the indexes only to those that query them', () => {
    // Read from the stores each stage reaches (functions/app/*-handler.ts → functions/storage/dynamo/*.ts):
    // DeleteItem is the SLA timer settle (removing its conversation entries); index queries are listings and the sweep's due timers.
    // Act claims a reply in a transaction with a ConditionCheck that crisis mode is off (ConditionCheckItem), and no
    // longer settles timers itself (a reply's answer rides in its completion's UpdateItem), so it has no Query or DeleteItem.
    // Ingest puts (an event with its payload, a quarantine entry) and reads a helpdesk ticket's conversation; poll also reads and puts its cursor.
    const item = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
    expect(tableGrantsOf(plain.synth)).toEqual({
      ingest: { table: ['dynamodb:GetItem', 'dynamodb:PutItem'], index: [], other: [] },
      evaluate: { table: ['dynamodb:DeleteItem', ...item, 'dynamodb:Query'].sort(), index: [], other: [] },
      act: { table: ['dynamodb:ConditionCheckItem', ...item].sort(), index: [], other: [] },
      poll: { table: ['dynamodb:GetItem', 'dynamodb:PutItem'], index: [], other: [] },
      // The sweep closes a spike episode in a transaction that checks its heartbeats (storage/dynamo/episode-store.ts).
      sweep: { table: ['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', ...item].sort(), index: ['dynamodb:Query'], other: [] },
      // The API's listings of events, actions and audit read their pages' items from gsi2's keys (BatchGetItem); a
      // reassignment settles the conversation's old unanswered timer (DeleteItem).
      api: {
        table: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', ...item, 'dynamodb:Query'].sort(),
        index: ['dynamodb:Query'],
        other: [],
      },
    });
  });

  it('give no function a scan, transaction or table-description action, a batch read only to the API, and a condition check only to act and the sweep', () => {
    const forbidden = /^dynamodb:(Batch|Scan|Transact|Describe|ConditionCheck|PartiQL|\*)/;
    // Act's exception: the crisis switch checked inside a reply's claim (storage/dynamo/action-store.ts); the sweep's: a
    // spike episode's heartbeats checked inside its close (episode-store.ts); the API's: a listing's page of items read by
    // key (storage/dynamo/sharded-listing.ts).
    const allowed: Record<string, readonly string[]> = {
      act: ['dynamodb:ConditionCheckItem'],
      sweep: ['dynamodb:ConditionCheckItem'],
      api: ['dynamodb:BatchGetItem'],
    };
    for (const [name, grant] of Object.entries(tableGrantsOf(plain.synth))) {
      expect(
        [...grant.table, ...grant.index].filter((action) => forbidden.test(action) && !allowed[name]?.includes(action)),
        name,
      ).toEqual([]);
    }
  });
});

describe('throttling', () => {
  const apiRoutes = topology.http
    .filter((route) => 'auth' in route && route.auth === 'iam')
    .map((route) => `${route.method} ${route.path}`);
  const webhookMethods = topology.http.filter((route) => route.path === '/webhooks/{platform}').map((route) => route.method);
  const platformRoutes = (platform: string) => webhookMethods.map((method) => `${method} /webhooks/${platform}`);
  const stageOf = (resources: Resources) => ofType(resources, 'AWS::ApiGatewayV2::Stage')[0]![1];
  const settingsOf = (resources: Resources) =>
    stageOf(resources).Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
  const limits = (settings: { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number } | undefined) => ({
    rateLimit: settings?.ThrottlingRateLimit,
    burstLimit: settings?.ThrottlingBurstLimit,
  });

  it("gives each webhook platform its own routes with its own throttle, and every api route the api's; the stage default is the api's", () => {
    const settings = settingsOf(plain.resources);
    expect(webhookMethods.sort()).toEqual(['GET', 'POST']);
    expect(WEBHOOK_PLATFORMS).toEqual(expect.arrayContaining(['slack', 'telegram', 'x', 'generic', 'zendesk', 'jira']));
    // A platform without push has no route at all: API Gateway answers 404 without starting ingest.
    expect(WEBHOOK_PLATFORMS).not.toContain('reddit');
    const expected = [...WEBHOOK_PLATFORMS.flatMap(platformRoutes), ...apiRoutes].sort();
    expect(Object.keys(settings).sort()).toEqual(expected);
    const routeKeys = ofType(plain.resources, 'AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey as string);
    expect(routeKeys.sort()).toEqual(expected);
    expect(routeKeys).not.toContain('POST /webhooks/{platform}');
    for (const platform of WEBHOOK_PLATFORMS)
      for (const key of platformRoutes(platform)) expect(limits(settings[key]), key).toEqual(DEFAULT_PLATFORM_THROTTLES[platform]);
    for (const key of apiRoutes) expect(limits(settings[key]), key).toEqual(DEFAULT_THROTTLES.api);
    expect(limits(stageOf(plain.resources).Properties.DefaultRouteSettings)).toEqual(DEFAULT_THROTTLES.api);
    // Not one limit for all: a crisis-prone platform gets more than a helpdesk.
    expect(DEFAULT_PLATFORM_THROTTLES.x!.rateLimit).toBeGreaterThan(DEFAULT_PLATFORM_THROTTLES.zendesk!.rateLimit);
    // Route settings name routes that must exist first, or CloudFormation refuses the stage.
    const routeIds = ofType(plain.resources, 'AWS::ApiGatewayV2::Route').map(([id]) => id);
    expect(stageOf(plain.resources).DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it("sizes ingest's reserved concurrency to the sum of the platform throttles at 150 ms a delivery (Little's law)", () => {
    const sum = Object.values(webhookThrottles()).reduce((total, { rateLimit }) => total + rateLimit, 0);
    expect(DEFAULT_RESERVED_CONCURRENCY.ingest).toBeGreaterThanOrEqual(Math.floor(sum * 0.15));
  });

  it('takes the route throttles from the stack props: one platform, then every platform, then the api', async () => {
    const { resources } = await synth({
      throttle: {
        webhooks: { rateLimit: 7, burstLimit: 9 },
        platforms: { slack: { rateLimit: 3, burstLimit: 4 } },
        api: { rateLimit: 2, burstLimit: 5 },
      },
    });
    const settings = settingsOf(resources);
    for (const key of platformRoutes('slack')) expect(limits(settings[key]), key).toEqual({ rateLimit: 3, burstLimit: 4 });
    for (const key of platformRoutes('telegram')) expect(limits(settings[key]), key).toEqual({ rateLimit: 7, burstLimit: 9 });
    for (const key of apiRoutes) expect(limits(settings[key]), key).toEqual({ rateLimit: 2, burstLimit: 5 });
  }, 120_000);
});

describe('concurrency', () => {
  const functionsOf = ({ synth: made, resources }: Awaited<ReturnType<typeof synth>>) =>
    Object.entries(made.stack.functions).map(([name, fn]) => ({ name, properties: resources[made.logicalId(fn)]!.Properties }));
  // A consumer released by canary is invoked through its live alias.
  const maximumConcurrencyOf = ({ synth: made, resources }: Awaited<ReturnType<typeof synth>>, consumer: string) => {
    const release = made.stack.releases[consumer as keyof typeof made.stack.releases];
    const target = release ? made.logicalId(release.alias) : made.logicalId(made.stack.functions[consumer]!);
    return ofType(resources, 'AWS::Lambda::EventSourceMapping')
      .map(([, mapping]) => mapping.Properties)
      .filter((mapping) => mappingCalls(mapping.FunctionName, target))
      .map((mapping) => mapping.ScalingConfig?.MaximumConcurrency);
  };

  it('reserves concurrency for every function by default, within what a default account can reserve', () => {
    const reserved = functionsOf(plain);
    expect(reserved.map(({ name }) => name).sort()).toEqual(Object.keys(DEFAULT_RESERVED_CONCURRENCY).sort());
    for (const { name, properties } of reserved) {
      expect(properties.ReservedConcurrentExecutions, name).toBe(DEFAULT_RESERVED_CONCURRENCY[name as keyof typeof topology.functions]);
      expect(properties.ReservedConcurrentExecutions, name).toBeGreaterThan(0);
    }
    // Lambda keeps 100 of an account's (default) 1,000 unreserved.
    expect(reserved.reduce((sum, { properties }) => sum + properties.ReservedConcurrentExecutions, 0)).toBeLessThanOrEqual(900);
    // A queue never starts more pollers than its consumer may run, so a throttled receive never counts towards the dead letters.
    for (const { consumer } of Object.values(topology.queues)) {
      expect(maximumConcurrencyOf(plain, consumer), consumer).toEqual([DEFAULT_RESERVED_CONCURRENCY[consumer]]);
    }
  });

  it('takes per-function limits from the props, and reserves none when told to (small accounts), keeping the queue caps', async () => {
    const overridden = await synth({ reservedConcurrency: { act: 3 } });
    const byName = Object.fromEntries(
      functionsOf(overridden).map(({ name, properties }) => [name, properties.ReservedConcurrentExecutions]),
    );
    expect(byName).toEqual({ ...DEFAULT_RESERVED_CONCURRENCY, act: 3 });
    expect(maximumConcurrencyOf(overridden, 'act')).toEqual([3]);

    const off = await synth({ reservedConcurrency: false });
    for (const { name, properties } of functionsOf(off)) expect(properties.ReservedConcurrentExecutions, name).toBeUndefined();
    for (const { consumer } of Object.values(topology.queues)) {
      expect(maximumConcurrencyOf(off, consumer), consumer).toEqual([DEFAULT_RESERVED_CONCURRENCY[consumer]]);
    }
  }, 120_000);
});

describe('send rates', () => {
  const environmentOf = ({ synth: made, resources }: Awaited<ReturnType<typeof synth>>, name: string) =>
    resources[made.logicalId(made.stack.functions[name]!)]!.Properties.Environment.Variables as Record<string, unknown>;

  it("tells act, and only act, each platform's send rate, the defaults unless the props say otherwise", () => {
    for (const name of Object.keys(plain.synth.stack.functions)) {
      const told = environmentOf(plain, name).FOGHORN_SEND_RATES;
      if (name === 'act') expect(parseSendRates(String(told))).toEqual(DEFAULT_SEND_RATES);
      else expect(told, name).toBeUndefined();
    }
    expect(plain.synth.stack.sendRates).toEqual(DEFAULT_SEND_RATES);
  });

  it("keeps act's queue to as many pollers as act may run, whatever the platforms' rates", () => {
    const release = plain.synth.stack.releases.act;
    const target = release ? plain.synth.logicalId(release.alias) : plain.synth.logicalId(plain.synth.stack.functions.act!);
    const mappings = ofType(plain.resources, 'AWS::Lambda::EventSourceMapping')
      .map(([, mapping]) => mapping.Properties)
      .filter((mapping) => mappingCalls(mapping.FunctionName, target));
    expect(mappings.map((mapping) => mapping.ScalingConfig)).toEqual([{ MaximumConcurrency: DEFAULT_RESERVED_CONCURRENCY.act }]);
    expect(mappings.map((mapping) => mapping.BatchSize)).toEqual([topology.queues.actions.batchSize]);
    expect(mappings.map((mapping) => mapping.FunctionResponseTypes)).toEqual([['ReportBatchItemFailures']]);
    const act = plain.resources[plain.synth.logicalId(plain.synth.stack.functions.act!)]!.Properties;
    expect(act.ReservedConcurrentExecutions).toBe(DEFAULT_RESERVED_CONCURRENCY.act);
  });

  it("takes a platform's send rate from the props, and refuses one for a platform Foghorn sends nothing to, naming it", async () => {
    const made = await synth({ sendRates: { telegram: { rateLimit: 5, burstLimit: 5 }, generic: { rateLimit: 2, burstLimit: 4 } } });
    expect(parseSendRates(String(environmentOf(made, 'act').FOGHORN_SEND_RATES))).toEqual({
      ...DEFAULT_SEND_RATES,
      telegram: { rateLimit: 5, burstLimit: 5 },
      generic: { rateLimit: 2, burstLimit: 4 },
    });
    expect(
      () =>
        new FoghornStack(made.synth.stack.node.scope as never, 'Refused', {
          rules: {} as never,
          sendRates: { myspace: { rateLimit: 1, burstLimit: 1 } },
        }),
    ).toThrow(/sendRates\.myspace: Foghorn sends nothing to 'myspace'/);
  }, 120_000);
});

describe('encryption', () => {
  const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const tableOf = (resources: Resources) => ofType(resources, 'AWS::DynamoDB::Table')[0]![1].Properties;
  const kmsStatementsOf = (made: Synthesised, resources: Resources) =>
    Object.entries(made.stack.functions).map(([name, fn]) => ({
      name,
      statements: statementsOf(made.template, roleOf(resources, made.logicalId(fn))).filter((statement) =>
        statement.Action.some((action) => action.startsWith('kms:')),
      ),
    }));

  it('uses AWS-managed encryption without the option, as before', () => {
    expect(tableOf(plain.resources).SSESpecification?.KMSMasterKeyId).toBeUndefined();
    for (const [id, group] of ofType(plain.resources, 'AWS::Logs::LogGroup')) expect(group.Properties.KmsKeyId, id).toBeUndefined();
    for (const { name, statements } of kmsStatementsOf(plain.synth, plain.resources)) expect(statements, name).toEqual([]);
  });

  it('with encryptionKey "create", encrypts the table and every log group with a new rotated key, kept with the table', async () => {
    const { synth: made, resources } = await synth({ encryptionKey: 'create' });
    const keys = ofType(resources, 'AWS::KMS::Key').filter(([, key]) => /table/i.test(String(key.Properties.Description)));
    expect(keys).toHaveLength(1);
    const [keyId, key] = keys[0]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    const keyArn = { 'Fn::GetAtt': [keyId, 'Arn'] };
    expect(tableOf(resources).SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn });
    const groups = ofType(resources, 'AWS::Logs::LogGroup');
    // Each function's (the analytics function's too) and the API's access logs.
    expect(groups.length).toBe(Object.keys(made.stack.functions).length + 2);
    for (const [id, group] of groups) expect(group.Properties.KmsKeyId, id).toEqual(keyArn);
    // CloudWatch Logs may use the key for this account's log groups only.
    const logsStatement = (key.Properties.KeyPolicy.Statement as Array<Record<string, any>>).find((statement) =>
      JSON.stringify(statement.Principal ?? {}).includes('logs.us-east-1.amazonaws.com'),
    );
    expect(JSON.stringify(logsStatement?.Condition?.ArnLike?.['kms:EncryptionContext:aws:logs:arn'])).toMatch(
      /:logs:us-east-1:123456789012:log-group:\*"/,
    );
    expectDecryptThroughDynamoOnly(made, resources, keyArn);
    const report = new AwsSolutionsChecks().validateScope(made.stack);
    expect(report.violations.filter((violation) => violation.severity === 'error').map((violation) => violation.ruleName)).toEqual([]);
  }, 120_000);

  it('with an existing key ARN, uses that key and creates none', async () => {
    const { synth: made, resources } = await synth({ encryptionKey: KEY_ARN });
    expect(ofType(resources, 'AWS::KMS::Key').filter(([, key]) => /table/i.test(String(key.Properties.Description)))).toEqual([]);
    expect(tableOf(resources).SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN });
    for (const [id, group] of ofType(resources, 'AWS::Logs::LogGroup')) expect(group.Properties.KmsKeyId, id).toBe(KEY_ARN);
    expectDecryptThroughDynamoOnly(made, resources, KEY_ARN);
  }, 120_000);

  /** DynamoDB decrypts the table key on the caller's behalf: each role needs kms:Decrypt, through DynamoDB, and nothing else. */
  function expectDecryptThroughDynamoOnly(made: Synthesised, resources: Resources, keyArn: unknown) {
    for (const { name, statements } of kmsStatementsOf(made, resources)) {
      expect(
        statements.map(({ Action, Resource, Condition }) => ({
          Action,
          Resource,
          Condition,
        })),
        name,
      ).toEqual([
        {
          Action: ['kms:Decrypt'],
          Resource: keyArn,
          Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
        },
      ]);
    }
  }
});

describe('secrets', () => {
  const secretsReadBy = (name: string) => {
    const fn = plain.synth.stack.functions[name]!;
    return statementsOf(plain.synth.template, roleOf(plain.resources, plain.synth.logicalId(fn)))
      .filter((statement) => statement.Action.includes('secretsmanager:GetSecretValue'))
      .map((statement) => JSON.stringify(statement.Resource));
  };
  const ref = (secret: { node: { defaultChild?: unknown } }) => JSON.stringify({ Ref: plain.synth.logicalId(secret) });

  it('keeps inbound webhook secrets and outbound credentials apart: ingest reads only the first, act and poll only the second', () => {
    const { secret, webhookSecret } = plain.synth.stack;
    expect(ref(secret)).not.toEqual(ref(webhookSecret));
    const readers = Object.fromEntries(Object.keys(plain.synth.stack.functions).map((name) => [name, secretsReadBy(name)]));
    expect(readers).toEqual({
      ingest: [ref(webhookSecret)],
      evaluate: [],
      act: [ref(secret)],
      poll: [ref(secret)],
      sweep: [],
      api: [],
    });
    // Each function is told the one secret it may read, and only that one.
    for (const [name, fn] of Object.entries(plain.synth.stack.functions)) {
      const variables = plain.resources[plain.synth.logicalId(fn)]!.Properties.Environment.Variables as Record<string, unknown>;
      const told = variables.FOGHORN_SECRET_ARN === undefined ? [] : [JSON.stringify(variables.FOGHORN_SECRET_ARN)];
      expect(told, name).toEqual(readers[name]);
    }
  });

  it("generates the generic platform's webhook secret in the inbound secret and keeps both secrets when the stack goes", () => {
    const secrets = ofType(plain.resources, 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(2);
    const inbound = plain.resources[plain.synth.logicalId(plain.synth.stack.webhookSecret)]!;
    expect(inbound.Properties.Name).toBe('prod-foghorn/webhook-secrets');
    expect(inbound.Properties.GenerateSecretString).toMatchObject({ GenerateStringKey: 'FOGHORN_GENERIC_SECRET' });
    // The outbound secret is the one a deployed stack already has: same logical id and name, so its tokens stay.
    const outboundId = plain.synth.logicalId(plain.synth.stack.secret);
    expect(outboundId).toMatch(/^Settings[0-9A-F]{8}$/);
    expect(plain.resources[outboundId]!.Properties.Name).toBe('prod-foghorn/settings');
    for (const [id, secret] of secrets) expect(secret.DeletionPolicy, id).toBe('Retain');
  });
});

describe('the table, tags and access logs', () => {
  it('protects the table from deletion, as well as keeping it when the stack is deleted', () => {
    const [[, table]] = ofType(plain.resources, 'AWS::DynamoDB::Table') as [[string, Resources[string]]];
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('projects each index as functions/storage/dynamo/table.ts creates it: gsi1 every attribute, gsi2 the keys only', async () => {
    // Prepare: the CreateTable request the embedded DynamoDB gets.
    let created: CreateTableCommandInput | undefined;
    await ensureTable(
      {
        send: async (command: unknown) => {
          if (command instanceof CreateTableCommand) created = command.input;
          return { Table: { TableStatus: 'ACTIVE' } };
        },
      } as never,
      'foghorn',
    );
    const [[, table]] = ofType(plain.resources, 'AWS::DynamoDB::Table') as [[string, Resources[string]]];
    type Index = { IndexName: string; KeySchema: unknown; Projection: { ProjectionType: string; NonKeyAttributes?: string[] } };
    const byName = (indexes: Index[] | undefined) => Object.fromEntries((indexes ?? []).map((index) => [index.IndexName, index]));
    const deployed = byName(table.Properties.GlobalSecondaryIndexes as Index[]);
    const local = byName(created?.GlobalSecondaryIndexes as Index[] | undefined);
    // Assess: the same indexes, each with the same projection type and projected attributes, on both sides.
    expect(Object.keys(deployed).sort()).toEqual([TABLE_KEYS.gsi1.name, TABLE_KEYS.gsi2.name]);
    expect(Object.keys(local).sort()).toEqual(Object.keys(deployed).sort());
    for (const name of Object.keys(deployed)) {
      expect(deployed[name]!.Projection.ProjectionType, name).toBe(local[name]!.Projection.ProjectionType);
      expect(deployed[name]!.Projection.NonKeyAttributes ?? [], name).toEqual(local[name]!.Projection.NonKeyAttributes ?? []);
      expect(deployed[name]!.KeySchema, name).toEqual(local[name]!.KeySchema);
    }
    // What the stores rely on: a gsi1 listing reads whole items from the index; a gsi2 listing reads keys, then the items.
    expect(deployed[TABLE_KEYS.gsi1.name]!.Projection).toEqual({ ProjectionType: 'ALL' });
    expect(deployed[TABLE_KEYS.gsi2.name]!.Projection).toEqual({ ProjectionType: 'KEYS_ONLY' });
  });

  it("tags every taggable resource with the stage and the stack's name", () => {
    const tagged = ['AWS::DynamoDB::Table', 'AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret', 'AWS::SNS::Topic'];
    for (const type of tagged)
      for (const [id, resource] of ofType(plain.resources, type))
        expect(resource.Properties.Tags, id).toEqual(
          expect.arrayContaining([
            { Key: 'foghorn:stage', Value: 'prod' },
            { Key: 'foghorn:stack', Value: 'prod-foghorn' },
          ]),
        );
  });

  it('logs each request as JSON with its routeKey, status and the integration error fields', () => {
    const stage = ofType(plain.resources, 'AWS::ApiGatewayV2::Stage')[0]![1];
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      apiId: '$context.apiId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      integrationError: '$context.integration.error',
      integrationErrorMessage: '$context.integrationErrorMessage',
      integrationStatus: '$context.integration.integrationStatus',
      errorMessage: '$context.error.message',
    });
  });
});
