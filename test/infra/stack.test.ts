import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { topology } from '../../functions/app/topology.js';
import { type ActionCommand, actionCommandId } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { loadRuleSet, memoryRuleState } from '../../functions/rules/index.js';
import { LEXICON_LANGUAGES } from '../../functions/rules/lang/lexicon/languages.js';
import { lexiconWordsFolder } from '../../functions/rules/lang/lexicon/words-folder.js';
import { ngramModelFile } from '../../functions/rules/lang/ngrams/index.js';
import { NGRAM_LANGUAGES } from '../../functions/rules/lang/ngrams/languages.js';
import { NGRAM_MODELS_BESIDE, ngramModelsFolder } from '../../functions/rules/lang/ngrams/models-folder.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { ensureTable, TABLE_KEYS } from '../../functions/storage/dynamo/table.js';
import { AwsSolutionsChecks } from '../../infra/constructs/nag.js';
import { rulesForDeployment } from '../../infra/rules-for-deployment.js';
import { awsRoutes, BUNDLED_COMPILED_RULES_PATH, BUNDLED_RULES_DIR, BUNDLED_TEAM_CONFIG_PATH, FUNCTION_ACCESS } from '../../infra/stack.js';
import { WEBHOOK_PLATFORMS } from '../../infra/webhook-throttles.js';
import { type AwsJsonCall, startAwsJsonServer } from '../aws/loopback-aws.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { invokeBundle, provideAwsSdk } from './run-bundle.js';
import { type Synthesised, statementsOf, synthesise } from './synth.js';

/** One synthesis with real bundling (esbuild) for the whole file: it is the slow part. */
let synth: Synthesised;
let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
let fnIds: Record<string, string>;

beforeAll(async () => {
  synth = await synthesise({ bundle: true });
  resources = synth.template.toJSON().Resources;
  fnIds = Object.fromEntries(Object.entries(synth.stack.functions).map(([name, fn]) => [name, synth.logicalId(fn)]));
}, 300_000);

afterAll(() => synth?.dispose());

describe('FoghornStack', () => {
  it('has one bus, named for its stage (prod by default)', () => {
    synth.template.resourceCountIs('AWS::Events::EventBus', 1);
    synth.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'prod-foghorn' });
  });

  it('routes foghorn.ingest / social.event from the bus to the events queue, with its DLQ for undeliverable events', () => {
    const events = synth.stack.queues.events;
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: synth.logicalId(synth.stack.bus) },
      EventPattern: { source: ['foghorn.ingest'], 'detail-type': ['social.event'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [synth.logicalId(events.queue), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [synth.logicalId(events.deadLetters), 'Arn'] } },
        }),
      ],
    });
  });

  it('gives every queue a dead-letter queue, encryption and TLS-only access', () => {
    for (const [name, spec] of Object.entries(topology.queues)) {
      const { queue, deadLetters } = synth.stack.queues[name as keyof typeof topology.queues];
      expect(resources[synth.logicalId(queue)]?.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: spec.visibilityTimeoutSeconds,
        RedrivePolicy: {
          maxReceiveCount: spec.maxReceiveCount,
          deadLetterTargetArn: { 'Fn::GetAtt': [synth.logicalId(deadLetters), 'Arn'] },
        },
      });
      expect(resources[synth.logicalId(deadLetters)]?.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      for (const q of [queue, deadLetters]) {
        synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: synth.logicalId(q) }],
          PolicyDocument: {
            Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
          },
        });
      }
    }
    // And the analytics stream's own dead letters (test/infra/analytics-stream.test.ts), and the scheduled
    // functions' failures queue with its dead letters (test/infra/scheduled-failures.test.ts).
    synth.template.resourceCountIs('AWS::SQS::Queue', 2 * Object.keys(topology.queues).length + 1 + 2);
  });

  it('defines the table exactly as functions/storage/dynamo/table.ts creates it locally, with TTL and PITR', async () => {
    // Prepare: capture the CreateTable request the embedded DynamoDB gets.
    let created: CreateTableCommandInput | undefined;
    await ensureTable(
      {
        send: async (command: unknown) => {
          if (command instanceof CreateTableCommand) {
            created = command.input;
            return {};
          }
          return { Table: { TableStatus: 'ACTIVE' } };
        },
      } as never,
      'foghorn',
    );
    // Assess
    const table = resources[synth.logicalId(synth.stack.table)]?.Properties ?? {};
    const byName = (list: Array<{ AttributeName?: string }>) =>
      [...list].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));
    expect(table.KeySchema).toEqual(created?.KeySchema);
    expect(byName(table.AttributeDefinitions)).toEqual(byName(created?.AttributeDefinitions ?? []));
    expect(table.GlobalSecondaryIndexes).toEqual(created?.GlobalSecondaryIndexes);
    expect(table.BillingMode).toBe(created?.BillingMode);
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_KEYS.ttl, Enabled: true });
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    synth.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('builds at least ingest, evaluate and act on Node.js 22, arm64, traced, each with its own log group', () => {
    expect(Object.keys(fnIds)).toEqual(expect.arrayContaining(['ingest', 'evaluate', 'act']));
    // And the analytics function, apart from the topology's (test/infra/analytics-stream.test.ts).
    synth.template.resourceCountIs('AWS::Lambda::Function', Object.keys(fnIds).length + 1);
    for (const [name, id] of Object.entries(fnIds)) {
      const spec = topology.functions[name as keyof typeof topology.functions];
      expect(resources[id]?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Timeout: spec.timeoutSeconds,
        MemorySize: spec.memoryMb,
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(new RegExp(`^${synth.stack.functions[name]!.node.id}Logs`)) } },
        Environment: {
          Variables: expect.objectContaining({
            POWERTOOLS_SERVICE_NAME: 'foghorn',
            TABLE_NAME: { Ref: synth.logicalId(synth.stack.table) },
          }),
        },
      });
    }
    for (const group of Object.values(synth.template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('bundles each function as one minified ESM file with a source map, and ships the rule set with evaluate and the config with those that read it', async () => {
    for (const id of Object.values(fnIds)) {
      const bundle = synth.bundleOf(id);
      expect(readdirSync(bundle)).toEqual(expect.arrayContaining(['index.mjs', 'index.mjs.map']));
      const code = readFileSync(join(bundle, 'index.mjs'), 'utf8');
      expect(code).toMatch(/export\s*\{[^}]*\bas handler\b|export\s*\{\s*handler\s*\}/);
      // The AWS SDK stays external: the runtime's copy is imported, not bundled.
      expect(code).not.toContain('@aws-sdk/client-dynamodb/dist-es');
    }
    const evaluateBundle = synth.bundleOf(fnIds.evaluate!);
    const shippedRules = readdirSync(join(evaluateBundle, 'rules'), { recursive: true }).map(String);
    const repoRules = readdirSync('rules', { recursive: true }).map(String);
    expect(shippedRules.sort()).toEqual(repoRules.sort());
    expect(resources[fnIds.evaluate!]?.Properties.Environment.Variables.FOGHORN_RULES).toBe(BUNDLED_RULES_DIR);
    // What evaluate loads: the same rules, validated at synth, as one JSON file.
    expect(resources[fnIds.evaluate!]?.Properties.Environment.Variables.FOGHORN_COMPILED_RULES).toBe(BUNDLED_COMPILED_RULES_PATH);
    const compiled = JSON.parse(readFileSync(join(evaluateBundle, 'rules.compiled.json'), 'utf8')) as {
      rules: Array<{ spec: { id: string } }>;
    };
    expect(compiled.rules.map((rule) => rule.spec.id).sort()).toEqual(
      [...(await loadRuleSet('rules', { extensions: ruleLanguage })).ruleIds].sort(),
    );
    // The team config validated at synth: inside rules.compiled.json for evaluate, as JSON beside the others.
    const teamConfig = JSON.parse(readFileSync((await rulesForDeployment('rules')).teamConfigPath, 'utf8')) as unknown;
    expect(JSON.parse(readFileSync(join(evaluateBundle, 'rules.compiled.json'), 'utf8')).config).toEqual(teamConfig);
    const configured = Object.keys(fnIds).filter((fn) => FUNCTION_ACCESS[fn]?.bundlesConfig);
    expect(configured).toEqual(expect.arrayContaining(['act', 'sweep', 'api']));
    for (const name of configured) {
      const bundle = synth.bundleOf(fnIds[name]!);
      expect(JSON.parse(readFileSync(join(bundle, 'team-config.json'), 'utf8')), name).toEqual(teamConfig);
      expect(existsSync(join(bundle, 'foghorn.config.yaml')), name).toBe(false);
      const variables = resources[fnIds[name]!]?.Properties.Environment.Variables;
      expect(variables.FOGHORN_TEAM_CONFIG, name).toBe(BUNDLED_TEAM_CONFIG_PATH);
      expect(variables.FOGHORN_CONFIG, name).toBeUndefined();
    }
  });

  it('leaves the YAML parser out of the evaluate bundle and re2js beside it (imported only for `matches`)', () => {
    const bundle = synth.bundleOf(fnIds.evaluate!);
    const code = readFileSync(join(bundle, 'index.mjs'), 'utf8');
    // keepNames keeps the packages' class names: yaml's YAMLParseError, re2js's RE2JS.
    expect(readFileSync(join(synth.bundleOf(fnIds.act!), 'index.mjs'), 'utf8')).toContain('YAMLParseError');
    expect(code).not.toContain('YAMLParseError');
    expect(code).not.toContain('"RE2JS"');
    expect(readFileSync(join(bundle, 'node_modules', 're2js', 'index.mjs'), 'utf8')).toContain('"RE2JS"');
    expect(resources[fnIds.evaluate!]?.Properties.Environment.Variables.FOGHORN_CONFIG).toBeUndefined();
  });

  it('ships CLD3 beside the evaluate bundle, not inside it, and the shipped copy loads and detects a language', async () => {
    const bundle = synth.bundleOf(fnIds.evaluate!);
    // CLD3's WebAssembly is inlined as a base64 data URL starting with the wasm magic number (AGFzbQ).
    const wasm = 'data:application/octet-stream;base64,AGFzbQ';
    expect(readFileSync(join(bundle, 'index.mjs'), 'utf8')).not.toContain(wasm);
    expect(readFileSync(join(bundle, 'node_modules', 'cld3-asm', 'index.mjs'), 'utf8')).toContain(wasm);
    provideAwsSdk(bundle);
    const detect =
      "const { loadModule } = await import('cld3-asm'); const cld = (await loadModule()).create(1, 1024); console.log(cld.findLanguage('Nous voudrions savoir à quelle heure ouvre le magasin demain matin.').language)";
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', detect], {
      cwd: bundle,
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(stdout.trim()).toBe('fr');
  }, 60_000);

  it("ships the language lexicon's word lists beside the evaluate and api bundles as data files, not inside index.mjs", () => {
    const swahili = (JSON.parse(readFileSync(join(lexiconWordsFolder(), 'sw.json'), 'utf8')) as { words: string }).words;
    for (const name of ['evaluate', 'api']) {
      const bundle = synth.bundleOf(fnIds[name]!);
      expect(readdirSync(join(bundle, 'words')).sort(), name).toEqual(LEXICON_LANGUAGES.map((lang) => `${lang}.json`).sort());
      for (const lang of LEXICON_LANGUAGES)
        expect(readFileSync(join(bundle, 'words', `${lang}.json`), 'utf8'), `${name} ${lang}`).toBe(
          readFileSync(join(lexiconWordsFolder(), `${lang}.json`), 'utf8'),
        );
      const code = readFileSync(join(bundle, 'index.mjs'));
      expect(code.includes(swahili.slice(0, 80)), name).toBe(false);
    }
    // 196 KiB before the lists, 2,453 KB with them inside.
    expect(readFileSync(join(synth.bundleOf(fnIds.evaluate!), 'index.mjs')).byteLength).toBeLessThan(350_000);
  });

  it("ships Lingua's n-gram models with their licence beside the evaluate and api bundles as data files", () => {
    const files = readdirSync(ngramModelsFolder()).sort();
    expect(files).toEqual([...Object.keys(NGRAM_LANGUAGES).map(ngramModelFile), 'LICENSE', 'NOTICE'].sort());
    for (const name of ['evaluate', 'api']) {
      const bundle = synth.bundleOf(fnIds[name]!);
      expect(readdirSync(join(bundle, NGRAM_MODELS_BESIDE)).sort(), name).toEqual(files);
      for (const file of files)
        expect(
          readFileSync(join(bundle, NGRAM_MODELS_BESIDE, file)).equals(readFileSync(join(ngramModelsFolder(), file))),
          `${name} ${file}`,
        ).toBe(true);
    }
  });

  it('produces bundles that Node loads as ES modules exporting handler (as the Lambda runtime will)', async () => {
    for (const [name, id] of Object.entries(fnIds)) {
      const bundle = synth.bundleOf(id);
      provideAwsSdk(bundle);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', "const m = await import('./index.mjs'); console.log(typeof m.handler)"],
        { cwd: bundle, env: { PATH: process.env.PATH ?? '' } },
      );
      expect(stdout.trim(), `${name} bundle`).toBe('function');
    }
  }, 60_000);

  describe('bundles run as Lambda would run them (dynalite for the table, a loopback server for the other AWS APIs)', () => {
    const dynamo = useEmbeddedDynamo();
    const GENERIC_SECRET = 'bundle-check-secret';
    let aws: Awaited<ReturnType<typeof startAwsJsonServer>>;
    let callback: { url: string; requests: Array<{ headers: Record<string, unknown>; body: string }>; close(): Promise<void> };

    beforeAll(async () => {
      callback = await startCallbackServer();
      aws = await startAwsJsonServer((call) =>
        answerAsAws(call, { FOGHORN_GENERIC_SECRET: GENERIC_SECRET, FOGHORN_GENERIC_REPLY_URL: callback.url }),
      );
    });
    afterAll(async () => {
      await aws?.close();
      await callback?.close();
    });

    /**
     * What the stack puts in a function's environment, with AWS endpoints pointed at the local stand-ins
     * and /var/task (where Lambda unpacks the bundle) pointed at the bundle folder.
     */
    function lambdaEnvironment(name: string, overrides: Record<string, string> = {}): Record<string, string> {
      const bundle = synth.bundleOf(fnIds[name]!);
      const variables = resources[fnIds[name]!]?.Properties.Environment.Variables as Record<string, unknown>;
      const plain = Object.fromEntries(
        Object.entries(variables)
          .filter(([, value]) => typeof value === 'string')
          .map(([key, value]) => [key, String(value).replace(/^\/var\/task\//, `${bundle}/`)]),
      );
      return {
        ...plain,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.current.endpoint,
        AWS_ENDPOINT_URL_EVENTBRIDGE: aws.endpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
        AWS_ENDPOINT_URL_SQS: aws.endpoint,
        TABLE_NAME: dynamo.current.tableName,
        BUS_NAME: topology.busName,
        FOGHORN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:foghorn-settings',
        ACTIONS_QUEUE_URL: `${aws.endpoint}/123456789012/actions`,
        ACTIONS_DLQ_URL: `${aws.endpoint}/123456789012/actions-dlq`,
        ...overrides,
      };
    }

    it('ingest verifies a signed webhook with the secret from Secrets Manager, stores it and puts it on the bus', async () => {
      // Prepare
      const body = JSON.stringify({
        id: 'bundle-ingest-1',
        kind: 'message',
        text: 'hello',
        author: { id: '42', name: 'Sara' },
        channel: { id: 'web' },
      });
      const signature = `sha256=${createHmac('sha256', GENERIC_SECRET).update(body).digest('hex')}`;
      const request = {
        version: '2.0',
        routeKey: 'POST /webhooks/{platform}',
        rawPath: '/webhooks/generic',
        rawQueryString: '',
        headers: { 'content-type': 'application/json', 'x-foghorn-signature': signature },
        requestContext: {
          http: { method: 'POST', path: '/webhooks/generic', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
          requestId: 'r-1',
          routeKey: 'POST /webhooks/{platform}',
          stage: '$default',
          timeEpoch: Date.now(),
        },
        pathParameters: { platform: 'generic' },
        body,
        isBase64Encoded: false,
      };
      aws.calls.length = 0;
      // Act
      const { result, errors } = await invokeBundle(synth.bundleOf(fnIds.ingest!), request, lambdaEnvironment('ingest'));
      // Assess: accepted, the secret read once, the event published as foghorn.ingest / social.event.
      expect((result as { statusCode: number }).statusCode, errors.join('\n')).toBeGreaterThanOrEqual(200);
      expect((result as { statusCode: number }).statusCode, errors.join('\n')).toBeLessThan(300);
      expect(aws.calls.filter((call) => call.target === 'secretsmanager.GetSecretValue').map((call) => call.body)).toEqual([
        { SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:foghorn-settings' },
      ]);
      const entries = aws.calls
        .filter((call) => call.target === 'AWSEvents.PutEvents')
        .flatMap((call) => (call.body as { Entries: Array<Record<string, string>> }).Entries);
      expect(entries.map(({ EventBusName, Source, DetailType }) => ({ EventBusName, Source, DetailType }))).toEqual([
        { EventBusName: topology.busName, Source: 'foghorn.ingest', DetailType: 'social.event' },
      ]);
      expect((JSON.parse(entries[0]?.Detail ?? '{}') as CanonicalEvent).id).toBe('generic:bundle-ingest-1');
      const stored = await new DynamoEventStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }).get(
        'generic:bundle-ingest-1',
      );
      expect(stored).toMatchObject({
        event: { id: 'generic:bundle-ingest-1', text: 'hello', raw: { ref: 'event#generic:bundle-ingest-1' } },
      });
    }, 90_000);

    /** A question on the generic platform, with no language given (so the bundle's own detection decides it). */
    const question = (id: string, text: string): CanonicalEvent => ({
      id,
      platform: 'generic',
      kind: 'message',
      text,
      author: { id, name: 'Sara' },
      channel: { id: 'web' },
      thread: {},
      createdAt: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
    });

    /**
     * The shipped evaluate bundle in a fresh process (the shipped rules and config standing in for /var/task's) on one
     * event from the bus; what it queued, and what the source rule set decides for the same event.
     */
    async function evaluateShipped(event: CanonicalEvent) {
      aws.calls.length = 0;
      const { result, errors } = await invokeBundle(
        synth.bundleOf(fnIds.evaluate!),
        sqsEvent([{ version: '0', id: `eb-${event.id}`, 'detail-type': 'social.event', source: 'foghorn.ingest', detail: event }]),
        lambdaEnvironment('evaluate'),
      );
      const sent = aws.calls
        .filter((call) => call.target === 'AmazonSQS.SendMessageBatch')
        .flatMap((call) => (call.body as { Entries: Array<{ MessageBody: string }> }).Entries)
        .map((entry) => JSON.parse(entry.MessageBody) as ActionCommand)
        .map(({ ruleId, index, type, params }) => ({ ruleId, index, type, params }));
      const decided = await (await loadRuleSet('rules', { extensions: ruleLanguage })).evaluate(event, {
        now: new Date(),
        state: memoryRuleState(),
      });
      return { result, errors, sent, decided: decided.actions.map(({ ruleId, index, type, params }) => ({ ruleId, index, type, params })) };
    }

    it('evaluate loads the shipped rule set and queues the same actions the source rule set decides', async () => {
      // Act: an event the sample FAQ rule answers, long enough for the bundled CLD3 to detect.
      const { result, errors, sent, decided } = await evaluateShipped(
        question('generic:bundle-check-1', 'What are your opening hours today? We would like to visit the shop with the family.'),
      );
      // Assess: no failed record, and the commands on the queue are what the source rules decide.
      expect(result, errors.join('\n')).toEqual({ batchItemFailures: [] });
      expect(decided.length, 'the sample event should make the source rule set act').toBeGreaterThan(0);
      expect(sent).toEqual(decided);
    }, 90_000);

    it('evaluate reads the word lists shipped beside it for a post too short for CLD3 alone, and decides as the source rules do', async () => {
      // Act: a question too short for CLD3 to decide alone, so detection reads the lexicon from words/.
      const { result, errors, sent, decided } = await evaluateShipped(question('generic:bundle-check-short', 'opening hours?'));
      // Assess: the record went through (a missing list fails it) and the reply is the one the source rules choose.
      expect(result, errors.join('\n')).toEqual({ batchItemFailures: [] });
      expect(errors).toEqual([]);
      expect(decided.length, 'the short question should make the source rule set act').toBeGreaterThan(0);
      expect(sent).toEqual(decided);
    }, 90_000);

    it('api switches crisis mode for an IAM-authorised caller, recording the verified principal, and reads it back', async () => {
      const principal = 'arn:aws:iam::123456789012:user/maya';
      const request = (routeKey: string, body?: unknown) => ({
        version: '2.0',
        routeKey,
        rawPath: routeKey.split(' ')[1],
        rawQueryString: '',
        headers: { 'content-type': 'application/json' },
        requestContext: {
          http: {
            method: routeKey.split(' ')[0],
            path: routeKey.split(' ')[1],
            protocol: 'HTTP/1.1',
            sourceIp: '203.0.113.9',
            userAgent: 'awscurl',
          },
          requestId: 'r-api',
          routeKey,
          stage: '$default',
          timeEpoch: Date.now(),
          authorizer: {
            iam: {
              accessKey: 'AKIDEXAMPLE',
              accountId: '123456789012',
              callerId: 'AIDAEXAMPLE',
              principalOrgId: null,
              userArn: principal,
              userId: 'AIDAEXAMPLE',
            },
          },
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        isBase64Encoded: false,
      });
      // No secret for the api function: it sends nothing itself.
      const env = lambdaEnvironment('api', { FOGHORN_SECRET_ARN: '' });
      const on = await invokeBundle(synth.bundleOf(fnIds.api!), request('POST /api/crisis/on', { who: 'maya', why: 'login outage' }), env);
      expect(on.result, on.errors.join('\n')).toMatchObject({ statusCode: 200 });
      expect(JSON.parse((on.result as { body: string }).body)).toMatchObject({
        changed: true,
        crisis: { on: true, by: `maya (${principal})`, why: 'login outage' },
      });
      const state = await invokeBundle(synth.bundleOf(fnIds.api!), request('GET /api/crisis'), env);
      expect(JSON.parse((state.result as { body: string }).body)).toMatchObject({ crisis: { on: true } });
      const refused = await invokeBundle(synth.bundleOf(fnIds.api!), request('POST /api/crisis/off', { who: 'maya' }), env);
      expect(refused.result).toMatchObject({ statusCode: 400 });
      expect(JSON.parse((refused.result as { body: string }).body).error).toMatch(/'why' is required/);
      // Switch it off again: the other bundles share this table, and crisis mode would hold their replies.
      const off = await invokeBundle(
        synth.bundleOf(fnIds.api!),
        request('POST /api/crisis/off', { who: 'maya', why: 'bundle check done' }),
        env,
      );
      expect(JSON.parse((off.result as { body: string }).body)).toMatchObject({ changed: true, crisis: { on: false } });
    }, 90_000);

    it("act sends a reply command once, signed with the secret's key, to the configured callback", async () => {
      // Prepare
      const event: CanonicalEvent = {
        id: 'generic:bundle-act-1',
        platform: 'generic',
        kind: 'message',
        text: 'hi',
        author: { id: '42' },
        channel: { id: 'web' },
        thread: {},
        createdAt: new Date().toISOString(),
        receivedAt: new Date().toISOString(),
      };
      const command: ActionCommand = {
        id: actionCommandId(event.id, 'bundle-rule', 0),
        eventId: event.id,
        ruleId: 'bundle-rule',
        index: 0,
        type: 'reply',
        params: { text: 'Hello from the bundle' },
        event,
        createdAt: new Date().toISOString(),
      };
      callback.requests.length = 0;
      // Act: the same message delivered twice (SQS is at-least-once).
      for (const attempt of [1, 2]) {
        const { result, errors } = await invokeBundle(
          synth.bundleOf(fnIds.act!),
          sqsEvent([command], `m-${attempt}`),
          lambdaEnvironment('act'),
        );
        expect(result, errors.join('\n')).toEqual({ batchItemFailures: [] });
      }
      // Assess: one signed POST reached the callback.
      expect(callback.requests).toHaveLength(1);
      const sentBody = callback.requests[0]?.body ?? '';
      expect(callback.requests[0]?.headers['x-foghorn-signature']).toBe(
        `sha256=${createHmac('sha256', GENERIC_SECRET).update(sentBody).digest('hex')}`,
      );
      expect(JSON.parse(sentBody)).toMatchObject({ id: command.id, type: 'reply', text: 'Hello from the bundle' });
    }, 90_000);

    it('act reads its team config from the JSON the stack ships, not from YAML', async () => {
      // Prepare: the shipped team-config.json replaced by something that is not JSON (and no foghorn.config.yaml anywhere).
      const bundle = synth.bundleOf(fnIds.act!);
      const scratch = mkdtempSync(join(tmpdir(), 'foghorn-team-config-'));
      const broken = join(scratch, 'team-config.json');
      writeFileSync(broken, 'timezone: Europe/London\n');
      const command = {
        id: 'cmd-team-config',
        eventId: 'generic:team-config',
        ruleId: 'bundle-rule',
        index: 0,
        type: 'reply',
        params: { text: 'hi' },
        event: { id: 'generic:team-config', platform: 'generic', kind: 'message', text: 'hi', author: { id: '1' }, channel: { id: 'web' } },
        createdAt: new Date().toISOString(),
      };
      try {
        // Act
        const outcome = await invokeBundle(
          bundle,
          sqsEvent([command], 'm-team-config'),
          lambdaEnvironment('act', { FOGHORN_TEAM_CONFIG: broken }),
        ).then(
          (ran) => JSON.stringify(ran),
          (error: { stderr?: string }) => String(error.stderr ?? error),
        );
        // Assess: the JSON file is what it read, and YAML that would parse as a config was not accepted.
        expect(outcome).toContain(`cannot read the team config ${broken}`);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }, 90_000);
  });

  it("serves the topology's HTTP routes, one webhook route per platform, from ingest's live alias, with access logs and throttling", () => {
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    const routes = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route'))
      .map((route) => route.Properties.RouteKey)
      .sort();
    expect(routes).toEqual(
      awsRoutes(WEBHOOK_PLATFORMS)
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    );
    expect(routes).toContain('POST /webhooks/slack');
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { Ref: synth.logicalId(synth.stack.releases.ingest!.alias) },
    });
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });

  it('puts IAM authorization on every api route and none on the webhooks, which verify their signatures', () => {
    const routes = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties);
    const apiRoutes = topology.http.filter((route) => route.function === 'api').map((route) => `${route.method} ${route.path}`);
    expect(apiRoutes).toEqual(
      expect.arrayContaining(['POST /api/crisis/on', 'POST /api/approvals/{id}/approve', 'GET /api/audit', 'GET /api/events/{id}']),
    );
    for (const route of routes) {
      if (apiRoutes.includes(route.RouteKey)) expect(route.AuthorizationType, route.RouteKey).toBe('AWS_IAM');
      else expect([undefined, 'NONE'], route.RouteKey).toContain(route.AuthorizationType);
    }
    expect(routes.filter((route) => String(route.RouteKey).includes('/webhooks/'))).toHaveLength(2 * WEBHOOK_PLATFORMS.length);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationUri: { 'Fn::GetAtt': [fnIds.api, 'Arn'] } });
    expect(Object.keys(synth.template.findOutputs('ApiInvokeArn'))).toEqual(['ApiInvokeArn']);
  });

  it('keeps settings in Secrets Manager (inbound webhook secrets apart from outbound credentials), never as plain environment values', () => {
    synth.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: 'FOGHORN_GENERIC_SECRET' },
    });
    const allowed = new Set([
      'NODE_OPTIONS',
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_LOG_LEVEL',
      'FOGHORN_STAGE',
      'TABLE_NAME',
      'BUS_NAME',
      'ACTIONS_QUEUE_URL',
      'ACTIONS_DLQ_URL',
      'ACTIONS_QUEUE_ARN',
      'ACTIONS_DLQ_ARN',
      'FOGHORN_SECRET_ARN',
      'FOGHORN_RULES',
      'FOGHORN_COMPILED_RULES',
      'FOGHORN_TEAM_CONFIG',
      'FOGHORN_SANDBOX',
      // Send rates per platform, no secret: act's alone (test/infra/hardening.test.ts).
      'FOGHORN_SEND_RATES',
    ]);
    for (const [name, id] of Object.entries(fnIds)) {
      const variables = resources[id]?.Properties.Environment.Variables as Record<string, unknown>;
      expect(
        Object.keys(variables).filter((key) => !allowed.has(key)),
        `${name} environment`,
      ).toEqual([]);
      const secret = FUNCTION_ACCESS[name]?.secret;
      if (secret === 'outbound') expect(variables.FOGHORN_SECRET_ARN).toEqual({ Ref: synth.logicalId(synth.stack.secret) });
      else if (secret === 'inbound') expect(variables.FOGHORN_SECRET_ARN).toEqual({ Ref: synth.logicalId(synth.stack.webhookSecret) });
      else expect(variables.FOGHORN_SECRET_ARN).toBeUndefined();
    }
  });

  describe('least privilege', () => {
    const roleOf = (name: string) => (resources[fnIds[name]!]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const actionsOf = (name: string) => statementsOf(synth.template, roleOf(name)).flatMap((statement) => statement.Action);
    const resourcesFor = (name: string, action: string) =>
      statementsOf(synth.template, roleOf(name))
        .filter((statement) => statement.Action.includes(action))
        .flatMap((statement) => ([] as unknown[]).concat(statement.Resource));

    it('ingest puts items in the table and events on the bus, reads single items (a helpdesk ticket), and cannot query, send commands or touch the queues', () => {
      expect(actionsOf('ingest')).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'events:PutEvents', 'secretsmanager:GetSecretValue']),
      );
      expect(actionsOf('ingest').filter((action) => action.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
      expect(resourcesFor('ingest', 'events:PutEvents')).toEqual([{ 'Fn::GetAtt': [synth.logicalId(synth.stack.bus), 'Arn'] }]);
      expect(actionsOf('ingest').filter((action) => action.startsWith('sqs:'))).toEqual([]);
    });

    it('evaluate reads and writes the table and sends to the actions queue only; no bus, no secret', () => {
      expect(resourcesFor('evaluate', 'sqs:SendMessage')).toEqual([
        { 'Fn::GetAtt': [synth.logicalId(synth.stack.queues.actions.queue), 'Arn'] },
      ]);
      expect(actionsOf('evaluate')).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']));
      expect(actionsOf('evaluate')).not.toContain('events:PutEvents');
      expect(actionsOf('evaluate').filter((action) => action.startsWith('secretsmanager:'))).toEqual([]);
    });

    it('act reads and writes the table, reads the secret and dead-letters commands; it cannot publish or queue new commands', () => {
      const { queue, deadLetters } = synth.stack.queues.actions;
      expect(resourcesFor('act', 'secretsmanager:GetSecretValue')).toEqual([{ Ref: synth.logicalId(synth.stack.secret) }]);
      expect(actionsOf('act')).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:GetItem']));
      expect(actionsOf('act')).not.toContain('events:PutEvents');
      expect(resourcesFor('act', 'sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': [synth.logicalId(deadLetters), 'Arn'] }]);
      expect(resourcesFor('act', 'sqs:ChangeMessageVisibility')).toContainEqual({ 'Fn::GetAtt': [synth.logicalId(queue), 'Arn'] });
      const variables = resources[fnIds.act!]?.Properties.Environment.Variables;
      expect(variables).toMatchObject({
        ACTIONS_QUEUE_URL: { Ref: synth.logicalId(queue) },
        ACTIONS_DLQ_URL: { Ref: synth.logicalId(deadLetters) },
      });
    });

    it('api reads and writes single items, reads a listing page in one batch, and queues approved commands; no scan, delete, batch write, bus or secret', () => {
      const { queue, deadLetters } = synth.stack.queues.actions;
      const dlqArn = { 'Fn::GetAtt': [synth.logicalId(deadLetters), 'Arn'] };
      // The actions dead letters: listed without deleting (receive, then visible again) and redriven by SQS's move
      // task, which needs of its caller what AWS documents: on the source, these; on the destination, SendMessage.
      const sqs = statementsOf(synth.template, roleOf('api')).filter((statement) => statement.Action.some((a) => a.startsWith('sqs:')));
      expect(sqs.map(({ Action, Resource }) => ({ Action: [...Action].sort(), Resource }))).toEqual(
        expect.arrayContaining([
          {
            Action: [
              'sqs:ChangeMessageVisibility',
              'sqs:DeleteMessage',
              'sqs:GetQueueAttributes',
              'sqs:ReceiveMessage',
              'sqs:StartMessageMoveTask',
            ],
            Resource: dlqArn,
          },
        ]),
      );
      for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:StartMessageMoveTask'])
        expect(resourcesFor('api', action), action).toEqual([dlqArn]);
      expect(resources[fnIds.api!]?.Properties.Environment.Variables).toMatchObject({
        ACTIONS_DLQ_URL: { Ref: synth.logicalId(deadLetters) },
        ACTIONS_DLQ_ARN: dlqArn,
        ACTIONS_QUEUE_ARN: { 'Fn::GetAtt': [synth.logicalId(queue), 'Arn'] },
        // The rule set in force, as evaluate loads it (GET /api/rules).
        FOGHORN_COMPILED_RULES: BUNDLED_COMPILED_RULES_PATH,
      });
      const table = { 'Fn::GetAtt': [synth.logicalId(synth.stack.table), 'Arn'] };
      const dynamo = actionsOf('api').filter((action) => action.startsWith('dynamodb:'));
      // BatchGetItem: a listing reads its page's items from gsi2's keys; DeleteItem: a reassignment settles the old
      // unanswered timer (its conversation entries).
      expect([...new Set(dynamo)].sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
      expect(resourcesFor('api', 'dynamodb:UpdateItem')).toContainEqual(table);
      expect(resourcesFor('api', 'sqs:SendMessage')).toEqual([
        { 'Fn::GetAtt': [synth.logicalId(synth.stack.queues.actions.queue), 'Arn'] },
      ]);
      expect(actionsOf('api').filter((action) => action.startsWith('secretsmanager:') || action.startsWith('events:'))).toEqual([]);
      expect(resources[fnIds.api!]?.Properties.Environment.Variables).toMatchObject({
        FOGHORN_TEAM_CONFIG: BUNDLED_TEAM_CONFIG_PATH,
        ACTIONS_QUEUE_URL: { Ref: synth.logicalId(synth.stack.queues.actions.queue) },
      });
    });

    it('grants no wildcard actions and no Resource "*" except X-Ray\'s', () => {
      for (const name of Object.keys(fnIds)) {
        for (const statement of statementsOf(synth.template, roleOf(name))) {
          expect(
            statement.Action.filter((action) => action === '*' || action.endsWith(':*')),
            `${name}: ${statement.Action.join(',')}`,
          ).toEqual([]);
          if (statement.Resource === '*')
            expect(
              statement.Action.every((action) => action.startsWith('xray:')),
              `${name}: ${statement.Action.join(',')}`,
            ).toBe(true);
        }
      }
    });

    it("lets only each queue's consumer receive from it", () => {
      for (const [name, spec] of Object.entries(topology.queues)) {
        const queueArn = { 'Fn::GetAtt': [synth.logicalId(synth.stack.queues[name as keyof typeof topology.queues].queue), 'Arn'] };
        for (const fn of Object.keys(fnIds)) {
          const receives = resourcesFor(fn, 'sqs:ReceiveMessage').some((resource) => JSON.stringify(resource) === JSON.stringify(queueArn));
          expect(receives, `${fn} receiving from ${name}`).toBe(fn === spec.consumer);
        }
      }
    });
  });

  it("alarms on every dead-letter queue and every function's errors, to the SNS topic", () => {
    const alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
    const topicRef = { Ref: synth.logicalId(synth.stack.alarms.topic) };
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([topicRef]);
    for (const { deadLetters } of Object.values(synth.stack.queues)) {
      expect(
        alarms.filter(
          (alarm) =>
            alarm.MetricName === 'ApproximateNumberOfMessagesVisible' &&
            JSON.stringify(alarm.Dimensions) ===
              JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [synth.logicalId(deadLetters), 'QueueName'] } }]) &&
            alarm.Threshold === 0 &&
            alarm.ComparisonOperator === 'GreaterThanThreshold',
        ),
      ).toHaveLength(1);
    }
    for (const id of Object.values(fnIds)) {
      expect(
        alarms.filter(
          (alarm) =>
            alarm.MetricName === 'Errors' &&
            JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: id } }]),
        ),
      ).toHaveLength(1);
    }
    synth.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it("passes cdk-nag's AwsSolutions pack: no unacknowledged error, and every acknowledgement gives its reason", () => {
    const report = new AwsSolutionsChecks().validateScope(synth.stack);
    const errors = report.violations
      .filter((violation) => violation.severity === 'error')
      .map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`);
    expect(errors).toEqual([]);
    const acknowledgements = synth.stack.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
          .flatMap((entry) => Object.entries(entry.data as Record<string, { reason?: string } | string>)),
      );
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, ack] of acknowledgements) {
      const reason = typeof ack === 'string' ? ack : ack.reason;
      expect(reason?.length ?? 0, `reason for ${id}`).toBeGreaterThan(40);
    }
  });
});

/** Plays EventBridge, Secrets Manager and SQS for the bundles: accepts everything, answers what each SDK checks. */
function answerAsAws(call: AwsJsonCall, secret: Record<string, string>): unknown {
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const body = call.body as { Entries?: Array<{ Id: string; MessageBody: string }>; MessageBody?: string };
  switch (call.target) {
    case 'AWSEvents.PutEvents':
      return { FailedEntryCount: 0, Entries: (body.Entries ?? []).map((_, i) => ({ EventId: `eb-${i}` })) };
    case 'secretsmanager.GetSecretValue':
      return { ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:foghorn-settings', SecretString: JSON.stringify(secret) };
    case 'AmazonSQS.SendMessageBatch':
      return {
        Successful: (body.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: md5(e.MessageBody) })),
        Failed: [],
      };
    case 'AmazonSQS.SendMessage':
      return { MessageId: 'm-1', MD5OfMessageBody: md5(body.MessageBody ?? '') };
    default:
      return {};
  }
}

function sqsEvent(bodies: readonly unknown[], messageId = 'm-1') {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `${messageId}-${i}`,
      receiptHandle: `r-${i}`,
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:queue',
      awsRegion: 'us-east-1',
    })),
  };
}

/** A loopback server playing the generic platform's reply callback: records each request, answers 200 with an id. */
async function startCallbackServer() {
  const requests: Array<{ headers: Record<string, unknown>; body: string }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: `reply-${requests.length}` }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/replies`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('FoghornStack with tracing: false', () => {
  it("turns off X-Ray in Lambda and in Powertools' tracer, and grants no X-Ray writes", async () => {
    const untraced = await synthesise({ bundle: false, props: { tracing: false } });
    try {
      const functions = Object.values(untraced.template.findResources('AWS::Lambda::Function'));
      expect(functions.length).toBeGreaterThan(0);
      for (const fn of functions) {
        expect(fn.Properties.TracingConfig?.Mode ?? 'PassThrough').toBe('PassThrough');
        expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
      }
      const xray = Object.values(untraced.template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
        (policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((statement) =>
          ([] as string[]).concat(statement.Action).filter((action) => action.startsWith('xray:')),
        ),
      );
      expect(xray).toEqual([]);
    } finally {
      untraced.dispose();
    }
  }, 120_000);
});
