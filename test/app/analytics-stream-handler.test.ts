import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AttributeValue, DeleteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryAnalyticsStore } from '../../functions/analytics/memory/analytics-store.js';
import type { AnalyticsBucket, AnalyticsDelta } from '../../functions/analytics/ports.js';
import { AnalyticsRecorder } from '../../functions/analytics/recorder.js';
import { actStage } from '../../functions/app/act-handler.js';
import type { Adapters } from '../../functions/app/adapters.js';
import { analyticsStreamStage } from '../../functions/app/analytics-stream-handler.js';
import { awsAdapters } from '../../functions/app/aws-adapters.js';
import { evaluateStage } from '../../functions/app/evaluate-handler.js';
import { ingestStage } from '../../functions/app/ingest-handler.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { signGeneric } from '../../functions/platforms/generic/verify.js';
import { toCompiledRuleSetFile } from '../../functions/rules/compiled-rule-set.js';
import { compileRuleObjects, parseFoghornConfig } from '../../functions/rules/index.js';
import { DynamoAnalyticsStore } from '../../functions/storage/dynamo/analytics-store.js';
import { DynamoAssignmentStore } from '../../functions/storage/dynamo/assignment-store.js';
import { ANALYTICS_STREAM } from '../../infra/constructs/analytics-stream.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { countDynamoCalls, type DynamoCalls } from '../support/dynamo-calls.js';
import { type DynamoStream, recordDynamoStream } from '../support/dynamo-stream.js';
import { sqsBatch } from '../support/sqs.js';

/**
 * The analytics on AWS: a scripted set of conversations through the ingest, evaluate and act stages on the AWS
 * adapters (dynalite behind a real client), the table's stream records (built from the items the stages wrote:
 * dynalite has no streams, test/support/dynamo-stream.ts) folded by the analytics stage, against the same events
 * and replies recorded by the recorder the local runtime uses. The figures are the same, and stay the same
 * however the stream is delivered again: whole, in halves (bisect), or from a failed record onwards.
 */
const SECRET = 'analytics-stream-secret';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const RULES = [
  {
    id: 'hours',
    when: { all: [{ fact: 'text', operator: 'containsAny', value: ['opening hours'] }] },
    then: [{ reply: { text: 'We open at nine.' } }],
  },
  { id: 'late', when: { all: [{ fact: 'text', operator: 'containsAny', value: ['late'] }] }, then: [{ tag: ['late'] }] },
];

const dynamo = useEmbeddedDynamo();
let scratch: string;
let stream: DynamoStream;
let calls: DynamoCalls;
const errors: unknown[] = [];
const failNext: string[] = [];
let records: DynamoDBRecord[] = [];
let expected: AnalyticsBucket[] = [];
let analytics: ReturnType<typeof analyticsStreamStage>;
/** One webhook through ingest, evaluate and act, as the bus and the queue would hand it on. */
let through: (body: Record<string, unknown>) => Promise<{ event: CanonicalEvent; commands: ActionCommand[] }>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'foghorn-analytics-stream-'));
  calls = countDynamoCalls(dynamo.current.client);
  stream = recordDynamoStream(dynamo.current.client, dynamo.current);
  // A write to a key that starts with a prefix in failNext fails once, before it is sent (the table never sees it).
  dynamo.current.client.middlewareStack.add(
    (next) => async (args) => {
      const pk = (args.input as { Key?: { pk?: { S?: string } } }).Key?.pk?.S ?? '';
      const index = failNext.findIndex((prefix) => pk.startsWith(prefix));
      if (index >= 0) {
        failNext.splice(index, 1);
        throw Object.assign(new Error('ProvisionedThroughputExceededException: injected'), {
          name: 'ProvisionedThroughputExceededException',
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'foghorn-fail-next' },
  );

  const config = parseFoghornConfig({}, undefined, { extensions: ruleLanguage });
  const compiledPath = join(scratch, 'rules.compiled.json');
  writeFileSync(compiledPath, JSON.stringify(toCompiledRuleSetFile(compileRuleObjects(RULES, config, { extensions: ruleLanguage }))));
  const published: Array<{ Detail?: string; DetailType?: string; Source?: string }> = [];
  const queued: string[] = [];
  const adapters: () => Promise<Adapters> = awsAdapters({
    logger: { ...quiet, error: (message, detail) => errors.push({ message, detail }) },
    env: {
      AWS_REGION: 'us-east-1',
      TABLE_NAME: dynamo.current.tableName,
      BUS_NAME: 'foghorn',
      ACTIONS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/actions',
      ACTIONS_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/actions-dlq',
      FOGHORN_COMPILED_RULES: compiledPath,
      FOGHORN_GENERIC_SECRET: SECRET,
      FOGHORN_SANDBOX: 'true',
    },
    instrument: <Client>(client: Client): Client => {
      if ((client as object).constructor.name === 'DynamoDBClient') return dynamo.current.client as Client;
      return {
        send: async (command: { constructor: { name: string }; input: any }) => {
          if (command.constructor.name === 'PutEventsCommand') {
            published.push(...command.input.Entries);
            return { FailedEntryCount: 0, Entries: command.input.Entries.map((_: unknown, i: number) => ({ EventId: `eb-${i}` })) };
          }
          if (command.constructor.name === 'SendMessageBatchCommand') {
            queued.push(...command.input.Entries.map((entry: { MessageBody: string }) => entry.MessageBody));
            return {
              Successful: command.input.Entries.map((entry: { Id: string }) => ({ Id: entry.Id, MessageId: entry.Id })),
              Failed: [],
            };
          }
          throw new Error(`no stand-in for ${command.constructor.name}`);
        },
      } as Client;
    },
  });
  const ingest = ingestStage(adapters);
  const evaluate = evaluateStage(adapters);
  const act = actStage(adapters);
  analytics = analyticsStreamStage(adapters);

  through = async (body) => {
    const from = published.length;
    const sent = queued.length;
    await ingest(webhook(body));
    await evaluate(sqs(envelopes(published.slice(from))));
    await act(sqs(queued.slice(sent)));
    return {
      event: JSON.parse(published[from]!.Detail ?? '{}') as CanonicalEvent,
      commands: queued.slice(sent).map((raw) => JSON.parse(raw) as ActionCommand),
    };
  };

  const now = Date.now();
  const conversations = [
    // Answered by an auto-reply.
    { id: 'ask-hours', kind: 'message', text: 'What are your opening hours?', author: { id: 'ana' }, createdAt: minutesAgo(3), lang: 'en' },
    // Tagged, then answered by a person on the brand's account in its thread.
    { id: 'ask-late', kind: 'comment', text: 'My order is late', author: { id: 'ben' }, createdAt: minutesAgo(30), lang: 'de' },
    {
      id: 'answer-late',
      kind: 'reply',
      text: 'Sorry Ben, on it.',
      author: { id: 'acme', isSelf: true },
      thread: { id: 'ask-late', replyToId: 'ask-late' },
      createdAt: minutesAgo(20),
    },
    // Waits: nobody answers.
    { id: 'ask-waiting', kind: 'dm', text: 'Hello?', author: { id: 'cleo' }, createdAt: minutesAgo(5) },
  ];
  stream.take();
  const steps: Array<{ event: CanonicalEvent; commands: ActionCommand[] }> = [];
  for (const body of conversations) steps.push(await through(body));
  expect(errors).toEqual([]);
  records = stream.take();
  // The local runtime's recorder, told what the pipeline did, in order: each event's decision, then its replies.
  const localStore = memoryAnalyticsStore();
  const local = new AnalyticsRecorder({ store: localStore, responseTargetMs: () => 10 * 60_000 });
  for (const { event, commands } of steps) {
    const pending: AnalyticsDelta[] = [];
    await local.decided(event, decisionRules(records, event.id), pending);
    for (const command of commands) await local.replied(command, completedAt(records, command.id), pending);
    await local.add(pending);
  }
  expected = await localStore.read(new Date(now - 3 * 3_600_000), new Date(now + 3_600_000));
}, 120_000);

/** One fixed now for the whole file, so the times between messages are exact. */
const startedAt = Date.now();
const minutesAgo = (minutes: number) => new Date(startedAt - minutes * 60_000).toISOString();

afterAll(() => {
  calls?.stop();
  stream?.stop();
  dynamo.current.client.middlewareStack.remove('foghorn-fail-next');
  rmSync(scratch, { recursive: true, force: true });
});

const imageOf = (record: DynamoDBRecord) => unmarshall((record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>);

/** The rules the stored decision for `eventId` listed. */
function decisionRules(from: readonly DynamoDBRecord[], eventId: string): string[] {
  const record = from.find((candidate) => candidate.eventName === 'INSERT' && candidate.dynamodb?.Keys?.pk?.S === `DECISION#${eventId}`);
  if (!record) throw new Error(`no decision was stored for ${eventId}`);
  return (imageOf(record).decision as { rules: string[] }).rules;
}

/** When the completion of `commandId` was written. */
function completedAt(from: readonly DynamoDBRecord[], commandId: string): Date {
  const record = from.find(
    (candidate) => candidate.dynamodb?.Keys?.pk?.S === `ACTION#${commandId}` && candidate.dynamodb.NewImage?.status?.S === 'succeeded',
  );
  if (!record) throw new Error(`action ${commandId} never completed`);
  return new Date(String(imageOf(record).updatedAt));
}

/** The analytics items gone (the pipeline writes none of them), to fold the same stream again from nothing. */
async function forgetFigures(kinds = /^(ACLOCK|ANALYTICS)#/): Promise<void> {
  const client = dynamo.current.client;
  const { Items = [] } = await client.send(new ScanCommand({ TableName: dynamo.current.tableName }));
  for (const item of Items) {
    if (!kinds.test(item.pk?.S ?? '')) continue;
    await client.send(new DeleteItemCommand({ TableName: dynamo.current.tableName, Key: { pk: item.pk!, sk: item.sk! } }));
  }
}

/** Only the hour buckets gone, as if their writes were lost: the clocks keep what they stopped. */
const forgetBuckets = () => forgetFigures(/^ANALYTICS#/);

function webhook(event: Record<string, unknown>) {
  const body = Buffer.from(JSON.stringify({ channel: { id: 'web' }, ...event }));
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{platform}',
    rawPath: '/webhooks/generic',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-foghorn-signature': signGeneric(SECRET, body) },
    requestContext: { http: { method: 'POST', path: '/webhooks/generic' }, requestId: `r-${String(event.id)}`, timeEpoch: Date.now() },
    pathParameters: { platform: 'generic' },
    body: body.toString('utf8'),
    isBase64Encoded: false,
  } as never;
}

function sqs(bodies: readonly string[]): SQSEvent {
  return sqsBatch(bodies);
}

function envelopes(entries: ReadonlyArray<{ Source?: string; DetailType?: string; Detail?: string }>): string[] {
  return entries.map((entry, i) =>
    JSON.stringify({
      version: '0',
      id: `eb-${i}`,
      'detail-type': entry.DetailType,
      source: entry.Source,
      detail: JSON.parse(entry.Detail ?? '{}'),
    }),
  );
}

async function figures(): Promise<AnalyticsBucket[]> {
  const now = Date.now();
  return sorted(await new DynamoAnalyticsStore(dynamo.current).read(new Date(now - 3 * 3_600_000), new Date(now + 3_600_000)));
}

function sorted(buckets: readonly AnalyticsBucket[]): AnalyticsBucket[] {
  return [...buckets]
    .map((bucket) => ({ ...bucket, responseMs: [...bucket.responseMs].sort((a, b) => a - b) }))
    .sort((a, b) => `${a.hour}${a.channel}${a.lang}`.localeCompare(`${b.hour}${b.channel}${b.lang}`));
}

const batch = (from: readonly DynamoDBRecord[]) => ({ Records: [...from], shardId: 'shardId-00000001' });

describe('the analytics stage on the table stream', () => {
  it('folds the stream into the figures the local recorder gives, writing each bucket once per batch', async () => {
    calls.reset();
    expect(await analytics(batch(records))).toEqual({ state: {}, batchItemFailures: [] });
    expect(errors).toEqual([]);
    // Each bucket the batch touches is written once: as many bucket updates as buckets.
    expect(calls.calls.filter((call) => call.keys[0]?.startsWith('ANALYTICS#'))).toHaveLength(expected.length);
    expect(expected.length).toBeGreaterThan(1);
    // Only what its role allows: updates of clocks and buckets.
    for (const call of calls.calls) {
      expect(call.command).toBe('UpdateItemCommand');
      expect(ANALYTICS_STREAM.leadingKeys.some((pattern) => call.keys[0]?.startsWith(pattern.replace('*', '')))).toBe(true);
    }
    const folded = await figures();
    expect(folded).toEqual(sorted(expected));
    // The script's figures, to be sure the comparison is about something.
    const total = (field: 'inbound' | 'answersAutomated' | 'answersHuman' | 'firstAutomated' | 'firstHuman') =>
      folded.reduce((sum, bucket) => sum + bucket[field], 0);
    expect([total('inbound'), total('answersAutomated'), total('answersHuman'), total('firstAutomated'), total('firstHuman')]).toEqual([
      3, 1, 1, 1, 1,
    ]);
  });

  it('counts nothing twice when the batch comes again, whole or in halves', async () => {
    const before = await figures();
    expect(await analytics(batch(records))).toEqual({ state: {}, batchItemFailures: [] });
    const half = Math.floor(records.length / 2);
    expect(await analytics(batch(records.slice(0, half)))).toEqual({ state: {}, batchItemFailures: [] });
    expect(await analytics(batch(records.slice(half)))).toEqual({ state: {}, batchItemFailures: [] });
    expect(await figures()).toEqual(before);
  });

  it('reports the first record whose figures a failed bucket write left out, and the retry from there adds only those', async () => {
    await forgetFigures();
    failNext.push('ANALYTICS#');
    const response = await analytics(batch(records));
    expect(response.batchItemFailures).toHaveLength(1);
    const from = records.findIndex((record) => record.dynamodb?.SequenceNumber === response.batchItemFailures[0]!.itemIdentifier);
    expect(from).toBeGreaterThanOrEqual(0);
    expect(await analytics(batch(records.slice(from)))).toEqual({ state: {}, batchItemFailures: [] });
    expect(await figures()).toEqual(sorted(expected));
  });

  it('stops at a clock write that fails, reports that record, and the retry from there completes the figures', async () => {
    await forgetFigures();
    errors.length = 0;
    failNext.push('ACLOCK#');
    const response = await analytics(batch(records));
    expect(errors).toHaveLength(1);
    const from = records.findIndex((record) => record.dynamodb?.SequenceNumber === response.batchItemFailures[0]?.itemIdentifier);
    expect(from).toBeGreaterThanOrEqual(0);
    expect(await analytics(batch(records.slice(from)))).toEqual({ state: {}, batchItemFailures: [] });
    expect(await figures()).toEqual(sorted(expected));
    errors.length = 0;
  });
});

describe('the analytics stage on the table stream, with owners', () => {
  it("counts a first response for the person and team owning the conversation when it was answered, from the owner's item", async () => {
    // Prepare: a message, assigned to sara of the Persian desk (the owner item the assign action writes), then
    // reassigned to reza, who answers in its thread; a second message nobody owns is answered too.
    await forgetFigures();
    stream.take();
    await through({
      id: 'ask-owned',
      kind: 'comment',
      text: 'Where is my parcel?',
      author: { id: 'dana' },
      createdAt: minutesAgo(40),
      lang: 'fa',
    });
    await through({ id: 'ask-free', kind: 'comment', text: 'Anyone there?', author: { id: 'eli' }, createdAt: minutesAgo(40), lang: 'fa' });
    const owners = new DynamoAssignmentStore(dynamo.current);
    const owner = {
      conversation: 'generic|web|ask-owned',
      by: 'rule:persian',
      why: 'round robin',
      open: true,
      eventId: 'generic:ask-owned',
    };
    expect(await owners.assign({ ...owner, person: 'sara', team: 'persian-desk', since: minutesAgo(38), change: 'c-1' }, undefined)).toBe(
      'assigned',
    );
    expect(await owners.assign({ ...owner, person: 'reza', team: 'persian-desk', since: minutesAgo(36), change: 'c-2' }, 'c-1')).toBe(
      'assigned',
    );
    const reply = (id: string, thread: string, minutes: number) => ({
      id,
      kind: 'reply',
      text: 'On its way.',
      author: { id: 'acme', isSelf: true },
      thread: { id: thread, replyToId: thread },
      createdAt: minutesAgo(minutes),
    });
    await through(reply('answer-owned', 'ask-owned', 25));
    await through(reply('answer-free', 'ask-free', 30));
    // The brand's answer closed the assignment (a third change of the owner's item), which changes no owner.
    expect((await owners.owner('generic|web|ask-owned'))?.open).toBe(false);
    expect(errors).toEqual([]);
    const owned = stream.take();
    expect(owned.filter((record) => record.dynamodb?.Keys?.pk?.S?.startsWith('OWNER#'))).toHaveLength(3);
    // Act
    calls.reset();
    expect(await analytics(batch(owned))).toEqual({ state: {}, batchItemFailures: [] });
    // Assess: the clock's start and stop, and the two owner changes noted beside it; nothing for the close.
    expect(calls.calls.filter((call) => call.keys[0] === 'ACLOCK#generic|web|ask-owned')).toHaveLength(4);
    const firsts = (await figures())
      .filter((bucket) => bucket.firstHuman > 0)
      .map((bucket) => ({
        person: bucket.person ?? null,
        team: bucket.team ?? null,
        firstHuman: bucket.firstHuman,
        responseMs: bucket.responseMs,
      }));
    expect(firsts.sort((a, b) => String(a.person).localeCompare(String(b.person)))).toEqual([
      { person: null, team: null, firstHuman: 1, responseMs: [10 * 60_000] },
      { person: 'reza', team: 'persian-desk', firstHuman: 1, responseMs: [15 * 60_000] },
    ]);
    // Replayed, the batch counts nothing twice, and an older owner never comes back.
    expect(await analytics(batch(owned))).toEqual({ state: {}, batchItemFailures: [] });
    expect((await figures()).reduce((sum, bucket) => sum + bucket.firstHuman, 0)).toBe(2);
    // Reassigned to mina after the answer, then the buckets' writes lost and the batch folded again: the answer still
    // counts for reza, who owned the conversation when it was given.
    await new DynamoAnalyticsStore(dynamo.current).ownerChanged({ conversation: owner.conversation, person: 'mina', since: Date.now() });
    await forgetBuckets();
    expect(await analytics(batch(owned))).toEqual({ state: {}, batchItemFailures: [] });
    expect(
      (await figures())
        .filter((bucket) => bucket.firstHuman > 0)
        .map((bucket) => bucket.person ?? null)
        .sort(),
    ).toEqual([null, 'reza']);
  });
});
