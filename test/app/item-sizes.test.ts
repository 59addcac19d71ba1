import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actStage } from '../../functions/app/act-handler.js';
import type { Adapters } from '../../functions/app/adapters.js';
import { awsAdapters } from '../../functions/app/aws-adapters.js';
import { evaluateStage } from '../../functions/app/evaluate-handler.js';
import { ingestStage } from '../../functions/app/ingest-handler.js';
import { type LocalAdapters, localAdapters } from '../../functions/app/local-adapters.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { sweepStage } from '../../functions/app/sweep-handler.js';
import { watchedRuleSource } from '../../functions/app/watched-rule-source.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { EMBEDDED_EVENT_MAX_BYTES, eventBytes } from '../../functions/core/event-excerpt.js';
import type { ActionStore, EventStore } from '../../functions/core/ports.js';
import { settingsFrom } from '../../functions/core/settings.js';
import type { SlaTimer } from '../../functions/crisis/ports.js';
import { signGeneric } from '../../functions/platforms/generic/verify.js';
import { toCompiledRuleSetFile } from '../../functions/rules/compiled-rule-set.js';
import { compileRuleObjects, parseFoghornConfig } from '../../functions/rules/index.js';
import { DynamoActionStore } from '../../functions/storage/dynamo/action-store.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { toItem } from '../../functions/storage/dynamo/item.js';
import { DynamoTimerStore } from '../../functions/storage/dynamo/timer-store.js';
import { useEmbeddedDatabase } from '../storage/contracts/use-embedded-database.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { dynamoItemBytes, largestItem } from '../support/dynamo-item-size.js';
import { sqsBatch } from '../support/sqs.js';

/**
 * A 100,000-character post matching five acting rules (a reply and four tags) and a sixth that starts a response
 * timer, through the real pipeline: on the AWS adapters over dynalite (EventBridge and SQS recorded, their entries
 * handed on as the bus rule and the queue would), and on the local adapters over the embedded store. No DynamoDB
 * item comes near 400 KB (each measured as DynamoDB counts it), no bus entry or queue message near 256 KB, every
 * action is done once (a redelivery of the batch does nothing again), and the timer keeps an excerpt.
 */
const SECRET = 'item-sizes-secret';
const KB = 1024;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const matches = { all: [{ fact: 'text', operator: 'containsAny', value: ['opening hours'] }] };
const RULES = [
  { id: 'hours', when: matches, then: [{ reply: { text: 'We open at nine.' } }] },
  { id: 'tag-long', when: matches, then: [{ tag: ['long'] }] },
  { id: 'tag-hours', when: matches, then: [{ tag: ['hours'] }] },
  { id: 'tag-cyrillic', when: matches, then: [{ tag: ['cyrillic'] }] },
  // Matches only words 5,000 characters in, far past an excerpt's 500 (and inside the 10,000 matching reads):
  // evaluate must have read the whole event.
  { id: 'tag-read', when: { all: [{ fact: 'text', operator: 'containsAny', value: ['call me back'] }] }, then: [{ tag: ['to-read'] }] },
  { id: 'watch', when: matches, after: '10m', then: [{ tag: ['overdue'] }] },
];
const ACTING_RULES = RULES.filter((rule) => rule.after === undefined).map((rule) => rule.id);

/** 100,000 characters, mostly two-byte Cyrillic words from a fixed sequence (so gzip cannot make them vanish). */
function longPost(): string {
  const words = ['привет', 'доставка', 'заказ', 'сегодня', 'магазин', 'вопрос', 'ответ', 'часы', 'работы', 'спасибо'];
  let seed = 7;
  const parts = ['What are your opening hours? '];
  let length = parts[0]!.length;
  while (length < 100_000) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const word = `${words[seed % words.length]}${seed % 97} `;
    parts.push(word);
    length += word.length;
  }
  const text = parts.join('');
  const ask = ' Please call me back. ';
  return (text.slice(0, 5000) + ask + text.slice(5000)).slice(0, 100_000);
}

const TEXT = longPost();
/** Written eleven minutes ago: the `after: 10m` timer is due at once. */
const WRITTEN_AT = () => new Date(Date.now() - 11 * 60_000).toISOString();

function webhook(id: string) {
  const body = Buffer.from(
    JSON.stringify({ id, kind: 'message', text: TEXT, author: { id: 'customer-long' }, channel: { id: 'web' }, createdAt: WRITTEN_AT() }),
  );
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{platform}',
    rawPath: '/webhooks/generic',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-foghorn-signature': signGeneric(SECRET, body) },
    requestContext: { http: { method: 'POST', path: '/webhooks/generic' }, requestId: `r-${id}`, timeEpoch: Date.now() },
    pathParameters: { platform: 'generic' },
    body: body.toString('utf8'),
    isBase64Encoded: false,
  } as never;
}

function sqs(bodies: readonly string[], receiveCount: number): SQSEvent {
  return sqsBatch(bodies, { receiveCount, id: (index) => `m-${receiveCount}-${index}` });
}

/** What each stage of a runtime takes and leaves: the bus's entries as the events queue gets them, the actions queue's bodies. */
interface Runtime {
  ingest: ReturnType<typeof ingestStage>;
  evaluate: ReturnType<typeof evaluateStage>;
  act: ReturnType<typeof actStage>;
  sweep: ReturnType<typeof sweepStage>;
  /** The events queue's messages so far (EventBridge envelopes). */
  events(): string[];
  /** The actions queue's messages so far. */
  actions(): string[];
  stores: { events: EventStore; actions: ActionStore; timer(id: string): Promise<SlaTimer | undefined> };
}

/**
 * The pipeline once through: the post ingested, evaluated, its five commands acted on, the batch redelivered, the
 * sweep run. Returns what to check.
 */
async function runThrough(runtime: Runtime, id: string, errors: unknown[]) {
  const ingest = (await runtime.ingest(webhook(id))) as { statusCode: number; body: string };
  expect(ingest.statusCode, ingest.body).toBe(200);
  const eventId = `generic:${id}`;
  const published = runtime.events();
  expect(published).toHaveLength(1);
  await runtime.evaluate(sqs(published, 1));
  const queued = runtime.actions();
  expect(queued).toHaveLength(ACTING_RULES.length);
  const commands = queued.map((body) => JSON.parse(body) as ActionCommand);
  expect(commands.map((command) => command.ruleId).sort()).toEqual([...ACTING_RULES].sort());

  const first = await runtime.act(sqs(queued, 1));
  const again = await runtime.act(sqs(queued, 2));
  expect(first.batchItemFailures).toEqual([]);
  expect(again.batchItemFailures).toEqual([]);
  expect(errors).toEqual([]);

  // Each action once: succeeded on its first attempt, not again on the redelivery.
  for (const command of commands) {
    expect(await runtime.stores.actions.get(command.id), command.ruleId).toMatchObject({ status: 'succeeded', attempts: 1 });
  }
  const stored = await runtime.stores.events.get(eventId);
  expect(stored?.event.text).toBe(TEXT);
  expect([...(stored?.event.tags ?? [])].sort()).toEqual(['cyrillic', 'hours', 'long', 'to-read']);

  // The timer keeps the excerpt (excerpted when the post was decided, before its tags were added); the reply
  // answered the post, so the sweep settles the timer instead of firing it.
  const timer = await runtime.stores.timer(timerIdOf(eventId));
  expect(timer?.event.trimmed).toEqual({ bytes: eventBytes(untagged(stored!.event)) });
  expect(eventBytes(timer!.event)).toBeLessThanOrEqual(EMBEDDED_EVENT_MAX_BYTES);
  expect(await runtime.sweep()).toMatchObject({ timersFired: 0 });
  expect((await runtime.stores.timer(timerIdOf(eventId)))?.status).toBe('answered');
  expect(runtime.events()).toHaveLength(published.length);
  expect(errors).toEqual([]);
  return { published, queued, commands, eventId };
}

function untagged(event: CanonicalEvent): CanonicalEvent {
  const { tags: _tags, ...rest } = event;
  return rest;
}

let timerIdOf: (eventId: string) => string;
beforeAll(async () => {
  const { slaTimerId } = await import('../../functions/crisis/sla-timer.js');
  timerIdOf = (eventId) => slaTimerId(eventId, 'watch');
});

describe('a 100,000-character post matching five rules, on the AWS adapters over dynalite', () => {
  const dynamo = useEmbeddedDynamo();
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'foghorn-item-sizes-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes no item near 400 KB, puts no bus entry or queue message near 256 KB, and does each action once', async () => {
    const errors: unknown[] = [];
    const config = parseFoghornConfig({}, undefined, { extensions: ruleLanguage });
    const compiledPath = join(scratch, 'rules.compiled.json');
    writeFileSync(compiledPath, JSON.stringify(toCompiledRuleSetFile(compileRuleObjects(RULES, config, { extensions: ruleLanguage }))));
    const entries: Array<{ Source?: string; DetailType?: string; Detail?: string }> = [];
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
        const kind = (client as object).constructor.name;
        if (kind === 'DynamoDBClient') return dynamo.current.client as Client;
        return {
          send: async (command: { constructor: { name: string }; input: any }) => {
            switch (`${kind}.${command.constructor.name}`) {
              case 'EventBridgeClient.PutEventsCommand':
                entries.push(...command.input.Entries);
                return { FailedEntryCount: 0, Entries: command.input.Entries.map((_: unknown, i: number) => ({ EventId: `eb-${i}` })) };
              case 'SQSClient.SendMessageBatchCommand':
                queued.push(...command.input.Entries.map((entry: { MessageBody: string }) => entry.MessageBody));
                return {
                  Successful: command.input.Entries.map((entry: { Id: string }) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
                  Failed: [],
                };
              case 'SQSClient.ChangeMessageVisibilityCommand':
                return {};
              default:
                throw new Error(`no stand-in for ${kind} ${command.constructor.name}`);
            }
          },
        } as Client;
      },
    });
    const runtime: Runtime = {
      ingest: ingestStage(adapters),
      evaluate: evaluateStage(adapters),
      act: actStage(adapters),
      sweep: sweepStage(adapters),
      // The bus rule's delivery: the EventBridge envelope around each entry's detail.
      events: () =>
        entries.map((entry, i) =>
          JSON.stringify({
            version: '0',
            id: `eb-${i}`,
            'detail-type': entry.DetailType,
            source: entry.Source,
            detail: JSON.parse(entry.Detail!),
          }),
        ),
      actions: () => [...queued],
      stores: {
        events: new DynamoEventStore(dynamo.current),
        actions: new DynamoActionStore(dynamo.current),
        timer: (id) => new DynamoTimerStore(dynamo.current).get(id),
      },
    };

    const { eventId } = await runThrough(runtime, 'long-aws', errors);

    // The whole event is about 160 KB: it is stored once, and travels as its excerpt.
    const whole = (await runtime.stores.events.get(eventId))!.event;
    expect(eventBytes(whole)).toBeGreaterThan(150 * KB);
    const [entry] = entries;
    expect(Buffer.byteLength(entry!.Detail!)).toBeLessThan(8 * KB);
    expect((JSON.parse(entry!.Detail!) as CanonicalEvent).trimmed).toBeDefined();
    for (const body of queued) expect(Buffer.byteLength(body)).toBeLessThan(EMBEDDED_EVENT_MAX_BYTES + 2 * KB);

    const largest = await largestItem(dynamo.current.client, dynamo.current.tableName);
    expect(largest.bytes, `${largest.key} is ${largest.bytes} bytes`).toBeLessThan(400 * KB);
    // The largest is the event itself (with its payload, gzipped): no copy of it anywhere else comes close.
    expect(largest.key).toBe(`EVENT#${eventId} / EVENT`);
    expect(largest.bytes).toBeLessThan(300 * KB);
    // The decision holds its five commands' excerpts, not five copies of the post.
    const decision = await dynamo.current.client.send(
      new GetItemCommand({ TableName: dynamo.current.tableName, Key: toItem({ pk: `DECISION#${eventId}`, sk: 'DECISION' }) }),
    );
    expect(dynamoItemBytes(decision.Item!)).toBeLessThan(ACTING_RULES.length * EMBEDDED_EVENT_MAX_BYTES);
  }, 120_000);
});

describe('the same post on the local adapters over the embedded store', () => {
  const db = useEmbeddedDatabase();
  let scratch: string;
  let rules: Awaited<ReturnType<typeof watchedRuleSource>>;
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'foghorn-item-sizes-local-'));
    // JSON is YAML: each rule its own file, as a team writes them.
    for (const rule of RULES) writeFileSync(join(scratch, `${rule.id}.yaml`), JSON.stringify(rule));
    rules = await watchedRuleSource(scratch, quiet);
  });
  afterAll(async () => {
    await rules.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps the same excerpts in its decision and timer records, and does each action once', async () => {
    const errors: unknown[] = [];
    const adapters: LocalAdapters = await localAdapters({
      storage: { engine: 'embedded', database: db.current },
      rules,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET }),
      logger: { ...quiet, error: (message, detail) => errors.push({ message, detail }) },
      forceSandbox: true,
      foghornBaseUrl: () => 'http://127.0.0.1:8787',
    });
    const runtime: Runtime = {
      ingest: ingestStage(adapters),
      evaluate: evaluateStage(adapters),
      act: actStage(adapters),
      sweep: sweepStage(adapters),
      events: () => adapters.queues.events.list().map((message) => message.body),
      actions: () => adapters.queues.actions.list().map((message) => message.body),
      stores: { events: adapters.events, actions: adapters.actions, timer: (id) => adapters.crisisStores.timers.get(id) },
    };

    const { eventId } = await runThrough(runtime, 'long-local', errors);

    // The records that carry the event hold its excerpt, as on DynamoDB: only the event's own record holds the text whole.
    const records = db.current.range<unknown>({ prefix: '' });
    const sizes = records.map(({ key, value }) => ({ key, bytes: Buffer.byteLength(JSON.stringify(value) ?? '') }));
    const holding = sizes.filter(({ bytes }) => bytes > 100 * KB).map(({ key }) => key.split(':')[0]);
    expect(holding).toEqual(['event/generic']);
    expect(sizes.find(({ key }) => key.startsWith('decision/'))?.bytes).toBeLessThan(6 * EMBEDDED_EVENT_MAX_BYTES);
    expect(eventBytes((await adapters.events.get(eventId))!.event)).toBeGreaterThan(150 * KB);
    const [onTheBus] = runtime.events().map((body) => (JSON.parse(body) as { detail: CanonicalEvent }).detail);
    expect(onTheBus?.trimmed).toBeDefined();
  }, 120_000);
});
