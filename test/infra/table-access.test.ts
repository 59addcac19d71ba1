import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actStage } from '../../functions/app/act-handler.js';
import { apiStage } from '../../functions/app/api-handler.js';
import { awsAdapters } from '../../functions/app/aws-adapters.js';
import { evaluateStage } from '../../functions/app/evaluate-handler.js';
import { ingestStage } from '../../functions/app/ingest-handler.js';
import { pollStage } from '../../functions/app/poll-handler.js';
import { sweepStage } from '../../functions/app/sweep-handler.js';
import { parseAssignmentConfig } from '../../functions/assignment/config.js';
import { startUnansweredTimer } from '../../functions/assignment/unanswered-timer.js';
import { type ActionCommand, actionCommandId } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import type { SlaTimer } from '../../functions/crisis/ports.js';
import { DynamoApprovalStore } from '../../functions/storage/dynamo/approval-store.js';
import { DynamoCrisisStore } from '../../functions/storage/dynamo/crisis-store.js';
import { DynamoEpisodeStore } from '../../functions/storage/dynamo/episode-store.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { DynamoTimerStore } from '../../functions/storage/dynamo/timer-store.js';
import { type RulesForDeployment, rulesForDeployment } from '../../infra/rules-for-deployment.js';
import { BUNDLED_COMPILED_RULES_PATH, BUNDLED_RULES_DIR, BUNDLED_TEAM_CONFIG_PATH } from '../../infra/stack.js';
import { fixtureJson, redditApi } from '../platforms/reddit/support.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { type FakePlatformApi, startFakePlatformApi } from '../support/fake-platform-api.js';
import { type Synthesised, synthesise, type TableGrant, tableGrantsOf } from './synth.js';

/**
 * The other half of the table permissions: each stage runs in this process on the AWS adapters, with the
 * environment the stack gives its function and the embedded DynamoDB behind a client that refuses, as IAM
 * would, every command the function's role does not allow. Each function's runs must succeed and, between
 * them, send exactly the actions it is granted: nothing it would be refused, nothing (a delete, a batch,
 * a scan) it is granted and never sends. The other AWS services are answered by stand-ins.
 */
const GENERIC_SECRET = 'table-access-secret';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:foghorn-settings';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

const dynamo = useEmbeddedDynamo();
let synth: Synthesised;
let grants: Record<string, TableGrant>;
let rules: RulesForDeployment;
let reddit: FakePlatformApi;
const sent: Record<string, Set<string>> = {};
const refused: string[] = [];
const errors: unknown[] = [];

beforeAll(async () => {
  synth = await synthesise({ bundle: false });
  grants = tableGrantsOf(synth);
  rules = await rulesForDeployment('rules');
  reddit = await startFakePlatformApi();
  reddit.answer(redditApi({ '/oauth/message/inbox': fixtureJson('inbox.json'), '/oauth/message/mentions': fixtureJson('mentions.json') }));
}, 120_000);

afterAll(async () => {
  synth?.dispose();
  await reddit?.close();
});

/** The function's environment as the stack sets it, with the stack's references and /var/task paths made local. */
function environmentOf(name: string): Record<string, string> {
  const resources = synth.template.toJSON().Resources as Record<string, { Properties: Record<string, any> }>;
  const variables = resources[synth.logicalId(synth.stack.functions[name]!)]!.Properties.Environment.Variables as Record<string, unknown>;
  const references: Record<string, string> = {
    TABLE_NAME: dynamo.current.tableName,
    BUS_NAME: 'foghorn',
    ACTIONS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/actions',
    ACTIONS_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/actions-dlq',
    ACTIONS_QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:actions',
    ACTIONS_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:actions-dlq',
    FOGHORN_SECRET_ARN: SECRET_ARN,
  };
  const paths: Record<string, string> = {
    [BUNDLED_RULES_DIR]: rules.dir,
    [BUNDLED_COMPILED_RULES_PATH]: rules.compiledPath,
    [BUNDLED_TEAM_CONFIG_PATH]: rules.teamConfigPath,
  };
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [key, typeof value === 'string' ? (paths[value] ?? value) : (references[key] ?? '')]),
  );
}

/** The AWS adapters of one function: DynamoDB as its role allows, the other services answered by stand-ins. */
function adaptersOf(name: string, env: Record<string, string> = {}) {
  sent[name] ??= new Set();
  return awsAdapters({
    logger: { ...quiet, error: (message, detail) => errors.push({ name, message, detail }) },
    env: { AWS_REGION: 'us-east-1', ...environmentOf(name), ...env },
    instrument: <Client>(client: Client): Client => {
      const kind = (client as object).constructor.name;
      if (kind === 'DynamoDBClient') return asRoleAllows(name) as Client;
      return { send: async (command: { constructor: { name: string }; input: any }) => standIn(kind, command) } as Client;
    },
  });
}

/** The IAM actions of a transaction's items, as IAM checks them (a transaction has no action of its own). */
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

function asRoleAllows(name: string): Pick<DynamoDBClient, 'send'> {
  return {
    send: (async (command: { constructor: { name: string }; input: { IndexName?: string; TransactItems?: object[] } }) => {
      const called = command.constructor.name.replace(/Command$/, '');
      const actions =
        called === 'TransactWriteItems'
          ? (command.input.TransactItems ?? []).flatMap((item) => Object.keys(item).map((kind) => TRANSACT_ITEM_ACTIONS[kind] ?? kind))
          : [`dynamodb:${called}`];
      const where =
        command.input.IndexName === undefined ? 'table' : ['gsi1', 'gsi2'].includes(command.input.IndexName) ? 'index' : 'other';
      for (const action of actions) {
        if (!allows(grants[name]!, where, action)) {
          refused.push(`${name}: ${action} on the ${where}`);
          throw Object.assign(new Error(`${name} is not authorized to perform ${action} on the ${where}`), {
            name: 'AccessDeniedException',
          });
        }
      }
      for (const action of actions) sent[name]!.add(`${where} ${action}`);
      return dynamo.current.client.send(command as never);
    }) as DynamoDBClient['send'],
  };
}

/** As IAM reads the role: an index action is allowed by a grant on gsi1 and gsi2 or on every index of the table (`index/*`). */
function allows(grant: TableGrant, where: 'table' | 'index' | 'other', action: string): boolean {
  if (where === 'table') return grant.table.includes(action);
  if (where === 'other') return false;
  return (
    grant.index.includes(action) ||
    grant.other.some((entry) => entry.action === action && JSON.stringify(entry.resource).includes('/index/*'))
  );
}

function standIn(kind: string, command: { constructor: { name: string }; input: any }): unknown {
  switch (`${kind}.${command.constructor.name}`) {
    case 'SecretsManagerClient.GetSecretValueCommand':
      return { ARN: SECRET_ARN, SecretString: JSON.stringify(secretValues()) };
    case 'EventBridgeClient.PutEventsCommand':
      return { FailedEntryCount: 0, Entries: command.input.Entries.map((_: unknown, i: number) => ({ EventId: `eb-${i}` })) };
    case 'SQSClient.SendMessageBatchCommand':
      return {
        Successful: command.input.Entries.map((entry: { Id: string }) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
        Failed: [],
      };
    case 'SQSClient.SendMessageCommand':
      return { MessageId: 'm-1' };
    case 'SQSClient.ChangeMessageVisibilityCommand':
      return {};
    case 'SQSClient.ReceiveMessageCommand':
      return { Messages: [] };
    case 'SQSClient.GetQueueAttributesCommand':
      return { Attributes: { ApproximateNumberOfMessages: '0' } };
    case 'SQSClient.StartMessageMoveTaskCommand':
      return { TaskHandle: 'task-1' };
    default:
      throw new Error(`no stand-in for ${kind} ${command.constructor.name}`);
  }
}

function secretValues(): Record<string, string> {
  return {
    FOGHORN_GENERIC_SECRET: GENERIC_SECRET,
    FOGHORN_ZENDESK_WEBHOOK_SECRET: GENERIC_SECRET,
    FOGHORN_REDDIT_CLIENT_ID: 'p-jcoLKBynTLew',
    FOGHORN_REDDIT_CLIENT_SECRET: 'gko_LXELoV07ZBNUXrvWZfzE3aI',
    FOGHORN_REDDIT_REFRESH_TOKEN: '1234567890-refresh-token-test',
    FOGHORN_REDDIT_USERNAME: 'foghorn_support',
    FOGHORN_REDDIT_API_URL: `${reddit.url}/oauth`,
    FOGHORN_REDDIT_AUTH_URL: `${reddit.url}/www`,
  };
}

/** What the function sent, in the shape of its grant. */
function sentBy(name: string): { table: string[]; index: string[] } {
  const of = (where: string) =>
    [...(sent[name] ?? [])]
      .filter((entry) => entry.startsWith(`${where} `))
      .map((entry) => entry.slice(where.length + 1))
      .sort();
  return { table: of('table'), index: of('index') };
}

function expectExactlyGranted(name: string) {
  expect(refused, 'commands the role would refuse').toEqual([]);
  expect(errors, 'errors the stages logged').toEqual([]);
  const { table, index } = grants[name]!;
  expect(sentBy(name), `${name}: what it sends, against what its role allows`).toEqual({ table, index });
}

function message(id: string, extra: Partial<CanonicalEvent> = {}): CanonicalEvent {
  const now = new Date().toISOString();
  return {
    id,
    platform: 'generic',
    kind: 'message',
    text: 'What are your opening hours today? We would like to visit the shop with the family.',
    author: { id: 'customer-42', name: 'Sara' },
    channel: { id: 'web' },
    thread: {},
    createdAt: now,
    receivedAt: now,
    ...extra,
  };
}

/** A pending timer waiting in `conversation`, for the message `event`. */
/** A rule set whose config has people: and teams:, deployed as the stack deploys one. */
function rulesWithTeams(): Promise<RulesForDeployment> {
  const root = mkdtempSync(join(tmpdir(), 'foghorn-access-teams-'));
  mkdirSync(join(root, 'rules'));
  writeFileSync(
    join(root, 'foghorn.config.yaml'),
    [
      'timezone: UTC',
      'targets:',
      '  desk-lead: { description: "The desk lead" }',
      'people:',
      '  sara: { name: Sara, notify: desk-lead }',
      '  reza: { name: Reza }',
      'teams:',
      '  desk: { members: [reza, sara], lead: sara }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(root, 'rules', 'assign.yaml'),
    'id: table-access-assign\nwhen: { all: [{ fact: text, operator: containsAny, value: ["desk"] }] }\nthen: [{ assign: { team: desk, unanswered: { after: 30m, escalate: lead } } }]\n',
  );
  return rulesForDeployment(join(root, 'rules'));
}

function pendingTimer(id: string, event: CanonicalEvent, conversation: string, dueAt: Date): SlaTimer {
  return {
    id,
    ruleId: 'table-access-rule',
    eventId: event.id,
    conversations: [conversation],
    after: '10m',
    dueAt: dueAt.toISOString(),
    status: 'pending',
    event,
    actions: [],
    createdAt: event.createdAt,
  };
}

function sqsEvent(bodies: readonly unknown[], prefix: string) {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `${prefix}-${i}`,
      receiptHandle: `r-${prefix}-${i}`,
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:queue',
      awsRegion: 'us-east-1',
    })),
  } as never;
}

function httpEvent(
  routeKey: string,
  options: { path?: string; params?: Record<string, string>; body?: string; headers?: Record<string, string>; query?: string },
) {
  const [method, route] = routeKey.split(' ') as [string, string];
  const path = options.path ?? route;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers: { 'content-type': 'application/json', ...options.headers },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: `r-${routeKey}`,
      routeKey,
      stage: '$default',
      timeEpoch: Date.now(),
      authorizer: { iam: { userArn: 'arn:aws:iam::123456789012:user/maya' } },
    },
    pathParameters: options.params ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: false,
  } as never;
}

describe("each function's table actions are exactly what its stage sends", () => {
  beforeAll(() => {
    refused.length = 0;
    errors.length = 0;
  });

  it('ingest: stores a delivery, sees its redelivery, quarantines a malformed one, looks up a helpdesk ticket', async () => {
    const ingest = ingestStage(adaptersOf('ingest'));
    const deliver = async (body: string) => {
      const signature = `sha256=${createHmac('sha256', GENERIC_SECRET).update(body).digest('hex')}`;
      return (await ingest(
        httpEvent('POST /webhooks/{platform}', {
          path: '/webhooks/generic',
          params: { platform: 'generic' },
          body,
          headers: { 'x-foghorn-signature': signature },
        }),
      )) as { statusCode: number; body: string };
    };
    const body = JSON.stringify({ id: 'access-ingest-1', kind: 'message', text: 'hello', author: { id: '42' }, channel: { id: 'web' } });
    expect((await deliver(body)).statusCode).toBe(200);
    expect(JSON.parse((await deliver(body)).body)).toMatchObject({ duplicates: 1 });
    expect((await deliver(JSON.stringify({ id: 'access-ingest-2', kind: 'message' }))).statusCode).toBe(422);
    // A helpdesk's solved ticket: which conversation it belongs to is one GetItem.
    const solved = JSON.stringify({ ticket: { id: '35436', status: 'solved' } });
    const timestamp = '2026-12-02T03:00:00Z';
    const zendesk = (await ingest(
      httpEvent('POST /webhooks/{platform}', {
        path: '/webhooks/zendesk',
        params: { platform: 'zendesk' },
        body: solved,
        headers: {
          'x-zendesk-webhook-signature': createHmac('sha256', GENERIC_SECRET)
            .update(timestamp + solved)
            .digest('base64'),
          'x-zendesk-webhook-signature-timestamp': timestamp,
        },
      }),
    )) as { statusCode: number; body: string };
    expect(zendesk.statusCode).toBe(200);
    expect(JSON.parse(zendesk.body)).toMatchObject({ ignored: 'ticket 35436 was not opened by Foghorn' });
    expectExactlyGranted('ingest');
  });

  it('evaluate: decides a message, and an answer from the brand stops the timer waiting in its conversation', async () => {
    const timers = new DynamoTimerStore(dynamo.current);
    const waiting = message('generic:access-evaluate-question', { thread: { id: 'access-thread' } });
    await timers.put(
      pendingTimer('sla_access_evaluate', waiting, 'generic|web|access-thread', new Date(Date.now() + 3_600_000)),
      new Date(),
    );
    const answer = message('generic:access-evaluate-answer', {
      text: 'We open at nine.',
      author: { id: 'brand', isSelf: true },
      thread: { id: 'access-thread' },
    });
    const envelope = (event: CanonicalEvent) => ({
      version: '0',
      id: `eb-${event.id}`,
      'detail-type': 'social.event',
      source: 'foghorn.ingest',
      detail: event,
    });
    const result = await evaluateStage(adaptersOf('evaluate'))(
      sqsEvent([envelope(message('generic:access-evaluate-1')), envelope(answer)], 'evaluate'),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect((await timers.get('sla_access_evaluate'))?.status).toBe('answered');
    expectExactlyGranted('evaluate');
  });

  it('act: a reply that answers a waiting conversation, a tag and a hold', async () => {
    const timers = new DynamoTimerStore(dynamo.current);
    const event = message('generic:access-act-1');
    await new DynamoEventStore(dynamo.current).putIfAbsent(event);
    await timers.put(pendingTimer('sla_access_act', event, 'generic|web|access-act-1', new Date(Date.now() + 3_600_000)), new Date());
    const command = (type: string, index: number, params: Record<string, unknown>): ActionCommand => ({
      id: actionCommandId(event.id, 'table-access-rule', index),
      eventId: event.id,
      ruleId: 'table-access-rule',
      index,
      type,
      params,
      event,
      createdAt: new Date().toISOString(),
    });
    // The generic platform is given a send rate here, so the reply's take from its bucket goes through act's role too.
    const act = actStage(
      adaptersOf('act', { FOGHORN_SANDBOX: 'true', FOGHORN_SEND_RATES: JSON.stringify({ generic: { rateLimit: 1, burstLimit: 5 } }) }),
    );
    const commands = [
      command('reply', 0, { text: 'Thanks, we are on it.' }),
      command('tag', 1, { tags: ['access'] }),
      command('hold', 2, { reason: 'a person should read this first' }),
    ];
    // Twice, as SQS may deliver: the second run finds every command claimed already.
    expect(await act(sqsEvent(commands, 'act-1'))).toEqual({ batchItemFailures: [] });
    expect(await act(sqsEvent(commands, 'act-2'))).toEqual({ batchItemFailures: [] });
    const bucket = await dynamo.current.client.send(
      new GetItemCommand({ TableName: dynamo.current.tableName, Key: { pk: { S: 'SENDRATE#generic' }, sk: { S: 'SENDRATE' } } }),
    );
    expect(Number(bucket.Item?.tat?.N)).toBeGreaterThan(0);
    // The reply's answer rode in its completion: the timer no longer waits in its conversation (the sweep settles it).
    expect(await timers.pendingInConversation('generic|web|access-act-1')).toEqual([]);
    // With crisis mode on, a reply's claim is refused its check, and the guard reads the switch and holds it.
    const crisis = new DynamoCrisisStore(dynamo.current);
    const off = await crisis.get();
    expect(await crisis.set({ on: true, since: new Date().toISOString(), by: 'test', why: 'drill' }, off.version)).toBe(true);
    try {
      expect(await act(sqsEvent([command('reply', 3, { text: 'During the drill.' })], 'act-3'))).toEqual({ batchItemFailures: [] });
    } finally {
      const on = await crisis.get();
      expect(await crisis.set({ on: false, since: new Date().toISOString(), by: 'test', why: 'drill over' }, on.version)).toBe(true);
    }
    expect(await new DynamoApprovalStore(dynamo.current).get(actionCommandId(event.id, 'table-access-rule', 3))).toMatchObject({
      heldBy: 'crisis',
    });
    expectExactlyGranted('act');
  });

  it('poll: reads Reddit into the store and moves its cursor', async () => {
    const { reports } = await pollStage(adaptersOf('poll'))();
    expect(reports).toEqual([
      expect.objectContaining({ platform: 'reddit', status: 'polled' }),
      expect.objectContaining({ platform: 'linkedin', status: 'not-configured' }),
    ]);
    expect(reports[0]!.created).toBeGreaterThan(0);
    await pollStage(adaptersOf('poll'))();
    expectExactlyGranted('poll');
  });

  // A first sweep reads the last hour's due minutes, 17 keys each: on a loaded machine's dynalite that takes a while.
  it('sweep: fires a due timer, which it emits as an event, and ends a quiet spike episode', async () => {
    const timers = new DynamoTimerStore(dynamo.current);
    const waiting = message('generic:access-sweep-1', { createdAt: new Date(Date.now() - 20 * 60_000).toISOString() });
    await timers.put(pendingTimer('sla_access_sweep', waiting, 'generic|web|access-sweep-1', new Date(Date.now() - 60_000)), new Date());
    const episodes = new DynamoEpisodeStore(dynamo.current);
    const quietSince = new Date(Date.now() - 3_600_000).toISOString();
    await episodes.open({
      ruleId: 'table-access-spike',
      incident: `spike:table-access-spike:${quietSince}`,
      status: 'open',
      startedAt: quietSince,
      lastEventAt: quietSince,
      count: 1,
      quietMs: 60_000,
      firstEvent: waiting,
      actions: [],
    });
    const report = await sweepStage(adaptersOf('sweep'))();
    expect(report.timersFired).toBeGreaterThanOrEqual(1);
    expect((await timers.get('sla_access_sweep'))?.status).toBe('fired');
    expect((await episodes.current('table-access-spike'))?.status).toBe('closed');
    expectExactlyGranted('sweep');
  }, 120_000);

  it("api: crisis mode on and off, approvals listed and approved, the audit, an event read and the console's listings", async () => {
    const event = message('generic:access-api-1');
    await new DynamoEventStore(dynamo.current).putIfAbsent(event);
    const held: ActionCommand = {
      id: actionCommandId(event.id, 'table-access-rule', 0),
      eventId: event.id,
      ruleId: 'table-access-rule',
      index: 0,
      type: 'reply',
      params: { text: 'Held reply' },
      event,
      createdAt: new Date().toISOString(),
    };
    await new DynamoApprovalStore(dynamo.current).putIfAbsent({
      id: held.id,
      status: 'pending',
      reason: 'a person should read this first',
      heldBy: 'rule',
      command: held,
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const api = apiStage(adaptersOf('api'));
    const call = async (
      routeKey: string,
      options: { params?: Record<string, string>; body?: unknown; query?: string; stage?: typeof api } = {},
    ) => {
      const answer = (await (options.stage ?? api)(
        httpEvent(routeKey, {
          params: options.params ?? {},
          ...(options.query === undefined ? {} : { query: options.query }),
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        }),
      )) as { statusCode: number; body: string };
      expect(answer.statusCode, `${routeKey}: ${answer.body}`).toBe(200);
      return JSON.parse(answer.body);
    };
    await call('GET /api/crisis');
    await call('POST /api/crisis/on', { body: { who: 'maya', why: 'checking the table grants' } });
    await call('POST /api/crisis/off', { body: { who: 'maya', why: 'done' } });
    expect((await call('GET /api/approvals')).approvals.map((approval: { id: string }) => approval.id)).toContain(held.id);
    await call('POST /api/approvals/{id}/approve', { params: { id: held.id }, body: { who: 'maya' } });
    await call('GET /api/audit');
    await call('GET /api/events/{id}', { params: { id: event.id } });
    // The console's reads: the listings page through gsi1, decisions are single items, open spikes are listed on gsi1.
    expect((await call('GET /api/events', { query: 'since=1h&limit=50' })).events.map((e: { id: string }) => e.id)).toContain(event.id);
    await call('GET /api/actions', { query: 'since=1h' });
    await call('GET /api/decisions', { query: `event=${encodeURIComponent(event.id)}` });
    await call('GET /api/spikes');
    await call('GET /api/analytics');
    // The rules in force (the deployed rule set) with their hits and breakers, a conversation with its timers, and
    // the actions dead letters: the same table actions, nothing more.
    expect((await call('GET /api/rules')).rules.length).toBeGreaterThan(0);
    expect((await call('GET /api/conversations/{id}', { params: { id: event.id } })).conversation.eventId).toBe(event.id);
    expect(await call('GET /api/dead-letters')).toEqual({ deadLetters: { actions: [] } });
    expect(await call('POST /api/dead-letters/{queue}/redrive', { params: { queue: 'actions' }, body: {} })).toEqual({
      redriven: 0,
      task: 'task-1',
    });
    // A reassignment (a rule set whose config has people: and teams:) restarts the conversation's unanswered timer:
    // the new one put, the old one settled, which removes its conversation entries (DeleteItem).
    const teamed = await rulesWithTeams();
    const assigning = apiStage(
      adaptersOf('api', {
        FOGHORN_RULES: teamed.dir,
        FOGHORN_COMPILED_RULES: teamed.compiledPath,
        FOGHORN_TEAM_CONFIG: teamed.teamConfigPath,
      }),
    );
    const timers = new DynamoTimerStore(dynamo.current);
    const old = await startUnansweredTimer(
      timers,
      {
        ruleId: 'table-access-assign',
        index: 10_000,
        event,
        owner: { person: 'reza', team: 'desk' },
        unanswered: { after: '30m', afterMs: 30 * 60_000, escalate: 'lead' },
        target: 'desk-lead',
        config: parseAssignmentConfig(JSON.parse(readFileSync(teamed.teamConfigPath, 'utf8'))),
      },
      new Date(),
    );
    const moved = await call('POST /api/events/{id}/assign', {
      params: { id: event.id },
      body: { who: 'maya', person: 'sara' },
      stage: assigning,
    });
    expect(moved).toMatchObject({ result: 'assigned', owner: { person: 'sara' }, timers: [{ eventId: event.id, target: 'desk-lead' }] });
    expect((await timers.get(old.id))?.status).toBe('answered');
    expectExactlyGranted('api');
  });
});
