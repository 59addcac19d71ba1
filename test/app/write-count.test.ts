import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actStage } from '../../functions/app/act-handler.js';
import type { Adapters } from '../../functions/app/adapters.js';
import { analyticsStreamStage } from '../../functions/app/analytics-stream-handler.js';
import { awsAdapters } from '../../functions/app/aws-adapters.js';
import { evaluateStage } from '../../functions/app/evaluate-handler.js';
import { ingestStage } from '../../functions/app/ingest-handler.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { signGeneric } from '../../functions/platforms/generic/verify.js';
import { toCompiledRuleSetFile } from '../../functions/rules/compiled-rule-set.js';
import { compileRuleObjects, parseFoghornConfig } from '../../functions/rules/index.js';
import { DynamoActionStore } from '../../functions/storage/dynamo/action-store.js';
import { DynamoAnalyticsStore } from '../../functions/storage/dynamo/analytics-store.js';
import { DynamoAuditLog } from '../../functions/storage/dynamo/audit-log.js';
import { DynamoCrisisStore } from '../../functions/storage/dynamo/crisis-store.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { countDynamoCalls, type DynamoCalls } from '../support/dynamo-calls.js';
import { type DynamoStream, recordDynamoStream } from '../support/dynamo-stream.js';
import { sqsBatch } from '../support/sqs.js';

/**
 * What one webhook costs the table on AWS: the ingest, evaluate and act stages on the AWS adapters, as the
 * Lambda functions run them, over a real DynamoDB client (against dynalite) whose commands are counted by a
 * middleware. EventBridge and SQS are recorders, whose entries are handed to the next stage as the bus rule
 * and the queue would. Each call is listed with the kinds of item it touches, a transaction's items one by one.
 * A plain auto-reply is the pipeline's four writes (the event with its payload; the decision with its commands,
 * its event's analytics subject and the reply cap it spent; the claim, with a check that crisis mode is off and
 * the reply's answer; the completion with its audit line on the action's item and the answer in its conversation) and no read, but for
 * the crisis switch read once per container and five seconds for decisions (docs/PERFORMANCE.md, "Writes per
 * webhook"). The analytics are the analytics function's, off the pipeline: it is fed the records the table's
 * stream would deliver (dynalite has none: test/support/dynamo-stream.ts builds them from the items the stages
 * wrote), and its writes per batch are pinned too.
 */
const SECRET = 'write-count-secret';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const autoReply = {
  id: 'hours',
  when: { all: [{ fact: 'text', operator: 'containsAny', value: ['opening hours'] }] },
  then: [{ reply: { text: 'We open at nine.' } }],
};
const limitedReply = { ...autoReply, id: 'hours-once', limits: { perAuthor: '1/24h' } };
const tagging = { id: 'vip', when: autoReply.when, then: [{ tag: ['vip', 'hours'] }] };

const dynamo = useEmbeddedDynamo();
let scratch: string;
let calls: DynamoCalls;
let stream: DynamoStream;
const errors: unknown[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'foghorn-write-count-'));
  calls = countDynamoCalls(dynamo.current.client);
  stream = recordDynamoStream(dynamo.current.client, dynamo.current);
});

afterAll(() => {
  calls?.stop();
  stream?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** The three stages of one deployment of `rules`, with the bus and the actions queue recorded. */
function deployment(name: string, rules: unknown[]) {
  const config = parseFoghornConfig({}, undefined, { extensions: ruleLanguage });
  const compiledPath = join(scratch, `${name}.compiled.json`);
  writeFileSync(compiledPath, JSON.stringify(toCompiledRuleSetFile(compileRuleObjects(rules, config, { extensions: ruleLanguage }))));
  const published: Array<{ Source?: string; DetailType?: string; Detail?: string }> = [];
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
              published.push(...command.input.Entries);
              return { FailedEntryCount: 0, Entries: command.input.Entries.map((_: unknown, i: number) => ({ EventId: `eb-${i}` })) };
            case 'SQSClient.SendMessageBatchCommand':
              queued.push(...command.input.Entries.map((entry: { MessageBody: string }) => entry.MessageBody));
              return {
                Successful: command.input.Entries.map((entry: { Id: string }) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
                Failed: [],
              };
            default:
              throw new Error(`no stand-in for ${kind} ${command.constructor.name}`);
          }
        },
      } as Client;
    },
  });
  return {
    ingest: ingestStage(adapters),
    evaluate: evaluateStage(adapters),
    act: actStage(adapters),
    analytics: analyticsStreamStage(adapters),
    published,
    queued,
  };
}

function webhook(id: string, text: string, author = 'customer-42') {
  const body = Buffer.from(JSON.stringify({ id, kind: 'message', text, author: { id: author }, channel: { id: 'web' } }));
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

/** What SQS delivers: each body as a record with the given receive count. */
function sqs(bodies: readonly string[], receiveCount: number): SQSEvent {
  return sqsBatch(bodies, { receiveCount, id: (index) => `m-${receiveCount}-${index}` });
}

/** The bus rule's delivery to the events queue: the EventBridge envelope around each entry's detail. */
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

/** The calls one step made, as counted: each with the kinds of item it touches (`EVENT`, `LIMIT`, …), a transaction's items listed. */
async function counted(step: () => Promise<unknown>): Promise<{ writes: string[]; reads: string[]; calls: string[] }> {
  calls.reset();
  await step();
  const kind = (key: string) => key.split('#')[0];
  return {
    writes: calls.writes(),
    reads: calls.reads(),
    calls: calls.calls.map(({ command, keys, items }) => {
      const name = command.replace(/Command$/, '');
      if (!items) return `${name} ${keys.map(kind).join('+')}`;
      return `${name} [${items
        .map((item) => {
          const [operation, key = ''] = item.split(' ');
          return `${operation} ${kind(key)}`;
        })
        .join(', ')}]`;
    }),
  };
}

describe('DynamoDB calls per webhook on AWS', () => {
  it('a plain auto-reply: ingest one put, evaluate one transaction, act a claim and a completion, each a transaction', async () => {
    errors.length = 0;
    const run = deployment('auto-reply', [autoReply]);

    stream.take();
    const ingest = await counted(() => run.ingest(webhook('count-1', 'What are your opening hours?')));
    expect(run.published).toHaveLength(1);
    const evaluate = await counted(() => run.evaluate(sqs(envelopes(run.published), 1)));
    expect(run.queued).toHaveLength(1);
    const act = await counted(() => run.act(sqs(run.queued, 1)));
    expect(errors).toEqual([]);

    expect({ ingest: ingest.calls, evaluate: evaluate.calls, act: act.calls }).toEqual({
      // The event with its raw payload, put if absent.
      ingest: ['PutItem EVENT'],
      evaluate: [
        // The crisis switch for the crisisMode fact: this container's first decision reads it (then once per 5 s).
        'GetItem CRISIS',
        // The decision with its command and its event's analytics subject, and the reply cap
        // (repliesPerAuthorPerDay) it spent, on the version it was decided on: one write, nothing read first.
        'TransactWriteItems [Put DECISION, Put LIMIT]',
      ],
      act: [
        // The claim (with the reply's answer for the analytics), written only while crisis mode is off: the reply
        // goes out without reading the switch.
        'TransactWriteItems [Update ACTION, ConditionCheck CRISIS]',
        // The completion with the reply's answer in its conversation (response timers waiting there are settled
        // from it when next listed: timer-store.ts), its audit line kept on the action's item.
        'TransactWriteItems [Update ACTION, Update SLACONV]',
      ],
    });
    expect([...ingest.writes, ...evaluate.writes, ...act.writes]).toHaveLength(4);
    expect([...ingest.reads, ...evaluate.reads, ...act.reads]).toEqual(['GetItemCommand']);

    // And it all happened: the event with its payload, the reply recorded (sandbox), its audit line.
    const events = new DynamoEventStore(dynamo.current);
    expect((await events.getRaw('event#generic:count-1'))?.toString()).toContain('opening hours');
    const [command] = run.queued.map((body) => JSON.parse(body) as { id: string });
    expect(await new DynamoActionStore(dynamo.current).get(command!.id)).toMatchObject({ status: 'succeeded', mode: 'sandbox' });
    expect((await new DynamoAuditLog(dynamo.current).list(10)).map((entry) => entry.id)).toContain(`action:${command!.id}:succeeded`);

    // The next webhook in the same containers: nothing is read.
    const next = await counted(async () => {
      await run.ingest(webhook('count-1b', 'And your opening hours on Friday?', 'customer-43'));
      await run.evaluate(sqs(envelopes(run.published.slice(1)), 1));
      await run.act(sqs(run.queued.slice(1), 1));
    });
    expect(errors).toEqual([]);
    expect(next.calls).toEqual([
      'PutItem EVENT',
      'TransactWriteItems [Put DECISION, Put LIMIT]',
      'TransactWriteItems [Update ACTION, ConditionCheck CRISIS]',
      'TransactWriteItems [Update ACTION, Update SLACONV]',
    ]);
    expect(next.writes).toHaveLength(4);
    expect(next.reads).toEqual([]);

    // The analytics function, fed the batch the stream delivers: the clock starts (the decision), the clock
    // stops (the completion, whose old value gives the response time), each hour bucket is written once, and the
    // first-response times once, to the list kept apart from the answers' bucket.
    // Both webhooks' records, as one batch of the stream.
    const records = stream.take();
    const folded = await counted(() => run.analytics({ Records: records, shardId: 'shardId-1' }));
    const [answeredAt] = records.flatMap((record) => (record.dynamodb?.NewImage?.status?.S === 'succeeded' ? [record] : []));
    const hours = new Set(
      [Date.now(), Date.parse(answeredAt?.dynamodb?.NewImage?.updatedAt?.S ?? '')].map((ms) => Math.floor(ms / 3_600_000)),
    );
    expect(folded.calls).toEqual([
      ...['UpdateItem ACLOCK', 'UpdateItem ACLOCK', 'UpdateItem ACLOCK', 'UpdateItem ACLOCK'],
      ...[...hours].map(() => 'UpdateItem ANALYTICS'),
      'UpdateItem ANALYTICSRT',
    ]);
    expect(folded.reads).toEqual([]);
    expect(errors).toEqual([]);
    const figures = async () => {
      const buckets = await new DynamoAnalyticsStore(dynamo.current).read(
        new Date(Date.now() - 7_200_000),
        new Date(Date.now() + 3_600_000),
      );
      const web = buckets.filter((bucket) => bucket.channel === 'web');
      const sum = (field: 'inbound' | 'answersAutomated' | 'firstAutomated') => web.reduce((total, bucket) => total + bucket[field], 0);
      return {
        inbound: sum('inbound'),
        answers: sum('answersAutomated'),
        first: sum('firstAutomated'),
        times: web.flatMap((b) => b.responseMs).length,
      };
    };
    expect(await figures()).toEqual({ inbound: 2, answers: 2, first: 2, times: 2 });
    // The same batch delivered again (a retried invocation) counts nothing twice.
    expect(await run.analytics({ Records: records, shardId: 'shardId-1' })).toEqual({ state: {}, batchItemFailures: [] });
    expect(await figures()).toEqual({ inbound: 2, answers: 2, first: 2, times: 2 });
  });

  it('with crisis mode on, the claim refuses to pass it, and the reply is held for approval, not sent', async () => {
    errors.length = 0;
    const run = deployment('crisis', [autoReply]);
    const crisis = new DynamoCrisisStore(dynamo.current);
    await run.ingest(webhook('count-5', 'opening hours during the outage?', 'customer-crisis'));
    await run.evaluate(sqs(envelopes(run.published), 1));
    // Switched on by another function after the decision: the act stage's claim sees it at once.
    const before = await crisis.get();
    expect(await crisis.set({ on: true, since: new Date().toISOString(), by: 'test', why: 'outage' }, before.version)).toBe(true);
    try {
      const act = await counted(() => run.act(sqs(run.queued, 1)));
      expect(errors).toEqual([]);
      // The refused transaction, then the plain claim and the guard's read of the switch; the hold is filed.
      expect(act.calls.slice(0, 3)).toEqual([
        'TransactWriteItems [Update ACTION, ConditionCheck CRISIS]',
        'UpdateItem ACTION',
        'GetItem CRISIS',
      ]);
      const [command] = run.queued.map((body) => JSON.parse(body) as { id: string });
      expect(await new DynamoActionStore(dynamo.current).get(command!.id)).toMatchObject({ status: 'held' });
    } finally {
      const on = await crisis.get();
      expect(await crisis.set({ on: false, since: new Date().toISOString(), by: 'test', why: 'over' }, on.version)).toBe(true);
    }
  });

  it('a redelivered evaluation reads its decision once, spends no limit again, and re-sends the same command', async () => {
    errors.length = 0;
    const run = deployment('limited', [limitedReply]);
    await run.ingest(webhook('count-2', 'opening hours on sunday?', 'customer-redelivered'));
    const first = await counted(() => run.evaluate(sqs(envelopes(run.published), 1)));
    const again = await counted(() => run.evaluate(sqs(envelopes(run.published), 2)));

    expect(errors).toEqual([]);
    // The first delivery spent the rule's per-author limit and the reply cap, in the decision's write; the
    // redelivery only reads the decision: no evaluation, no limit spent again, nothing written.
    expect(first.calls).toEqual(['GetItem CRISIS', 'TransactWriteItems [Put DECISION, Put LIMIT, Put LIMIT]']);
    expect(first.reads).toEqual(['GetItemCommand']);
    expect(again.calls).toEqual(['GetItem DECISION']);
    expect(again.writes).toEqual([]);
    expect(run.queued).toHaveLength(2);
    expect(run.queued[1]).toBe(run.queued[0]);
  });

  it('a duplicate webhook is published again, marked, and its evaluation reads the decision instead of spending the limit', async () => {
    errors.length = 0;
    const run = deployment('duplicate', [limitedReply]);
    await run.ingest(webhook('count-3', 'opening hours on monday?', 'customer-duplicate'));
    await run.evaluate(sqs(envelopes(run.published), 1));

    const duplicate = await counted(() => run.ingest(webhook('count-3', 'opening hours on monday?', 'customer-duplicate')));
    expect(duplicate.calls).toEqual(['PutItem EVENT']);
    expect(run.published).toHaveLength(2);
    // A new message on the events queue, delivered for the first time: the mark makes evaluate read first.
    const evaluate = await counted(() => run.evaluate(sqs(envelopes(run.published.slice(1)), 1)));
    expect(errors).toEqual([]);
    expect(evaluate.calls).toEqual(['GetItem DECISION']);
    expect(run.queued).toHaveLength(2);
    expect(run.queued[1]).toBe(run.queued[0]);
  });

  it("a tag is the same two writes in act: the claim, then one transaction with the event's tags (the audit line on the action's item)", async () => {
    errors.length = 0;
    const run = deployment('tag', [tagging]);
    await run.ingest(webhook('count-4', 'opening hours?', 'customer-tagged'));
    await run.evaluate(sqs(envelopes(run.published), 1));
    const act = await counted(() => run.act(sqs(run.queued, 1)));
    expect(errors).toEqual([]);
    expect(act.calls).toEqual(['UpdateItem ACTION', 'TransactWriteItems [Update ACTION, Update EVENT]']);
    expect((await new DynamoEventStore(dynamo.current).get('generic:count-4'))?.event.tags).toEqual(['vip', 'hours']);
  });
});
