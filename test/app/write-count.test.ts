import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actStage } from '../../functions/app/act-handler.js';
import type { Adapters } from '../../functions/app/adapters.js';
import { awsAdapters } from '../../functions/app/aws-adapters.js';
import { evaluateStage } from '../../functions/app/evaluate-handler.js';
import { ingestStage } from '../../functions/app/ingest-handler.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { signGeneric } from '../../functions/platforms/generic/verify.js';
import { toCompiledRuleSetFile } from '../../functions/rules/compiled-rule-set.js';
import { compileRuleObjects, parseFoghornConfig } from '../../functions/rules/index.js';
import { DynamoActionStore } from '../../functions/storage/dynamo/action-store.js';
import { DynamoAuditLog } from '../../functions/storage/dynamo/audit-log.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { countDynamoCalls, type DynamoCalls } from '../support/dynamo-calls.js';

/**
 * What one webhook costs the table on AWS: the ingest, evaluate and act stages on the AWS adapters, as the
 * Lambda functions run them, over a real DynamoDB client (against dynalite) whose commands are counted by a
 * middleware. EventBridge and SQS are recorders, whose entries are handed to the next stage as the bus rule
 * and the queue would. A plain auto-reply is four writes of the pipeline's own (the event with its payload,
 * the decision with its commands, the claim, the completion with its audit line) and no read of them; the
 * crisis kit's reads and the reply cap's spend come on top, pinned here as well.
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
const errors: unknown[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'foghorn-write-count-'));
  calls = countDynamoCalls(dynamo.current.client);
});

afterAll(() => {
  calls?.stop();
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
  return { ingest: ingestStage(adapters), evaluate: evaluateStage(adapters), act: actStage(adapters), published, queued };
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
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m-${receiveCount}-${i}`,
      receiptHandle: `r-${receiveCount}-${i}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: '0',
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:queue',
      awsRegion: 'us-east-1',
    })),
  };
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

/** The calls one step made, as counted: by name, and each with the kinds of item it touches (`EVENT`, `LIMIT`, …). */
async function counted(step: () => Promise<unknown>): Promise<{ writes: string[]; reads: string[]; calls: string[] }> {
  calls.reset();
  await step();
  return {
    writes: calls.writes(),
    reads: calls.reads(),
    calls: calls.calls.map(({ command, keys }) => `${command.replace(/Command$/, '')} ${keys.map((key) => key.split('#')[0]).join('+')}`),
  };
}

/** The pipeline's own items: the event (and any raw payload of its own), its decision, the action record and its audit line. */
const PIPELINE = /^(PutItem|UpdateItem|GetItem|Query|TransactWriteItems) (EVENT|RAW|DECISION|ACTION|AUDIT)(\+(ACTION|AUDIT|EVENT))*$/;

describe('DynamoDB calls per webhook on AWS', () => {
  it('a plain auto-reply is four writes and no read of its own: ingest 1, evaluate 1, act 2', async () => {
    errors.length = 0;
    const run = deployment('auto-reply', [autoReply]);

    const ingest = await counted(() => run.ingest(webhook('count-1', 'What are your opening hours?')));
    expect(run.published).toHaveLength(1);
    const evaluate = await counted(() => run.evaluate(sqs(envelopes(run.published), 1)));
    expect(run.queued).toHaveLength(1);
    const act = await counted(() => run.act(sqs(run.queued, 1)));
    expect(errors).toEqual([]);

    const all = [...ingest.calls, ...evaluate.calls, ...act.calls];
    const own = all.filter((call) => PIPELINE.test(call));
    expect(own).toEqual(['PutItem EVENT', 'PutItem DECISION', 'UpdateItem ACTION', 'TransactWriteItems ACTION+AUDIT']);
    // Everything else the stages send, pinned too (docs/PERFORMANCE.md, "Writes per webhook", says what folding
    // each would take): the crisis kit reads the crisis switch (the crisisMode fact, and again before a reply
    // goes out, so crisis mode holds a reply at once) and looks for response timers waiting in the conversation
    // (even with no `after` rule in force: a timer filed under an earlier rule set must still be answered); the
    // team config's reply cap per author (repliesPerAuthorPerDay, a sliding window) is read and spent; analytics
    // starts and stops the conversation's clock and adds the hour's figures, once per stage call.
    expect({ ingest: ingest.calls, evaluate: evaluate.calls, act: act.calls }).toEqual({
      ingest: ['PutItem EVENT'],
      evaluate: ['GetItem CRISIS', 'GetItem LIMIT', 'PutItem LIMIT', 'PutItem DECISION', 'UpdateItem ACLOCK', 'UpdateItem ANALYTICS'],
      act: [
        'UpdateItem ACTION',
        'GetItem CRISIS',
        'Query SLACONV',
        'TransactWriteItems ACTION+AUDIT',
        'UpdateItem ACLOCK',
        'UpdateItem ANALYTICS',
      ],
    });

    // And it all happened: the event with its payload, the reply recorded (sandbox), its audit line.
    const events = new DynamoEventStore(dynamo.current);
    expect((await events.getRaw('event#generic:count-1'))?.toString()).toContain('opening hours');
    const [command] = run.queued.map((body) => JSON.parse(body) as { id: string });
    expect(await new DynamoActionStore(dynamo.current).get(command!.id)).toMatchObject({ status: 'succeeded', mode: 'sandbox' });
    expect((await new DynamoAuditLog(dynamo.current).list(10)).map((entry) => entry.id)).toContain(`action:${command!.id}:succeeded`);
  });

  it('a redelivered evaluation reads its decision once, spends no limit again, and re-sends the same command', async () => {
    errors.length = 0;
    const run = deployment('limited', [limitedReply]);
    await run.ingest(webhook('count-2', 'opening hours on sunday?', 'customer-redelivered'));
    const first = await counted(() => run.evaluate(sqs(envelopes(run.published), 1)));
    const again = await counted(() => run.evaluate(sqs(envelopes(run.published), 2)));

    expect(errors).toEqual([]);
    // The first delivery spent the rule's per-author limit and the reply cap, and wrote the decision; the
    // redelivery only reads the decision: no evaluation, no limit spent again, nothing written.
    expect(first.calls).toEqual([
      'GetItem CRISIS',
      'GetItem LIMIT',
      'PutItem LIMIT',
      'GetItem LIMIT',
      'PutItem LIMIT',
      'PutItem DECISION',
      'UpdateItem ACLOCK',
      'UpdateItem ANALYTICS',
    ]);
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

  it("a tag is the same two writes in act: the claim, then one transaction with the event's tags and the audit line", async () => {
    errors.length = 0;
    const run = deployment('tag', [tagging]);
    await run.ingest(webhook('count-4', 'opening hours?', 'customer-tagged'));
    await run.evaluate(sqs(envelopes(run.published), 1));
    const act = await counted(() => run.act(sqs(run.queued, 1)));
    expect(errors).toEqual([]);
    expect(act.calls).toEqual(['UpdateItem ACTION', 'TransactWriteItems ACTION+EVENT+AUDIT']);
    expect((await new DynamoEventStore(dynamo.current).get('generic:count-4'))?.event.tags).toEqual(['vip', 'hours']);
  });
});
