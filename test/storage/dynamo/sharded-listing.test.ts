import { PutItemCommand, type PutItemCommandInput, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { DynamoActionStore } from '../../../functions/storage/dynamo/action-store.js';
import { DynamoAuditLog } from '../../../functions/storage/dynamo/audit-log.js';
import { DynamoEventStore } from '../../../functions/storage/dynamo/event-store.js';
import { toItem } from '../../../functions/storage/dynamo/item.js';
import { LISTING_SHARDS } from '../../../functions/storage/dynamo/sharded-listing.js';
import { RecordingClient } from '../../aws/recorder.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { makeEvent } from '../../support/events.js';

/** A DynamoDB client that records each request and answers it as a success with nothing returned. */
function recordingDynamo() {
  const recorder = new RecordingClient<{ input: unknown }, object>(() => ({}));
  return { recorder, client: recorder as unknown as ConstructorParameters<typeof DynamoEventStore>[0]['client'] };
}

const HOUR = Date.parse('2031-06-01T12:00:00.000Z');

function command(i: number): ActionCommand {
  return {
    id: `cmd-${i}`,
    eventId: `generic:storm-${i}`,
    ruleId: 'reply-all',
    index: 0,
    type: 'reply',
    params: { text: 'on it' },
    event: makeEvent({ id: `generic:storm-${i}` }),
    createdAt: new Date(HOUR).toISOString(),
  };
}

/** How many listing writes each index partition key took, and whether any went to gsi1. */
function spread(keys: Array<string | undefined>) {
  const counts = new Map<string, number>();
  for (const key of keys) if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  return { keys: counts.size, busiest: Math.max(...counts.values()), total: [...counts.values()].reduce((a, b) => a + b, 0) };
}

describe('listings at storm rates: 10,000 items in one hour', () => {
  const n = 10_000;
  // An even spread would give each shard n / 32 ≈ 313; a key at 10,000 items/s then takes about 470 WRU/s at most.
  const busiestAllowed = Math.ceil((1.5 * n) / LISTING_SHARDS);

  it('spreads the events listing over every shard, and writes nothing to gsi1', async () => {
    const { recorder, client } = recordingDynamo();
    const store = new DynamoEventStore({ client, tableName: 't' });
    for (let i = 0; i < n; i++)
      await store.putIfAbsent(makeEvent({ id: `generic:storm-${i}`, receivedAt: new Date(HOUR + i * 360).toISOString() }));
    const items = recorder.inputs.map((input) => unmarshall((input as PutItemCommandInput).Item!));
    expect(items.filter((item) => item.gsi1pk !== undefined)).toEqual([]);
    const { keys, busiest, total } = spread(items.map((item) => item.gsi2pk));
    expect({ keys, total }).toEqual({ keys: LISTING_SHARDS, total: n });
    expect(busiest).toBeLessThanOrEqual(busiestAllowed);
  });

  it('spreads the actions listing the same way, written by the first claim only (if_not_exists)', async () => {
    const { recorder, client } = recordingDynamo();
    const store = new DynamoActionStore({ client, tableName: 't' });
    for (let i = 0; i < n; i++) await store.claim(command(i), 60_000, new Date(HOUR + i * 360));
    const inputs = recorder.inputs as UpdateItemCommandInput[];
    expect(inputs.every((input) => input.UpdateExpression?.includes('#gpk = if_not_exists(#gpk, :gpk)'))).toBe(true);
    expect(new Set(inputs.map((input) => input.ExpressionAttributeNames?.['#gpk']))).toEqual(new Set(['gsi2pk']));
    const { keys, busiest, total } = spread(inputs.map((input) => input.ExpressionAttributeValues?.[':gpk']?.S));
    expect({ keys, total }).toEqual({ keys: LISTING_SHARDS, total: n });
    expect(busiest).toBeLessThanOrEqual(busiestAllowed);
  });

  it('spreads the audit listing the same way', async () => {
    const { recorder, client } = recordingDynamo();
    const log = new DynamoAuditLog({ client, tableName: 't' });
    for (let i = 0; i < n; i++)
      await log.record({ id: `audit-${i}`, at: new Date(HOUR + i * 360).toISOString(), kind: 'action', what: 'reply.sent' });
    const items = recorder.inputs.map((input) => unmarshall((input as PutItemCommandInput).Item!));
    expect(items.filter((item) => item.gsi1pk !== undefined)).toEqual([]);
    const { keys, busiest, total } = spread(items.map((item) => item.gsi2pk));
    expect({ keys, total }).toEqual({ keys: LISTING_SHARDS, total: n });
    expect(busiest).toBeLessThanOrEqual(busiestAllowed);
  });
});

describe('a sharded listing over a table from before gsi2 (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();

  it('lists an old action once, from gsi1, after a new claim gave it a gsi2 entry too, and pages through old and new alike', async () => {
    const { client, tableName } = dynamo.current;
    const store = new DynamoActionStore({ client, tableName });
    // An action claimed by an earlier Foghorn: its listing entry is the gsi1 partition `ACTIONS`.
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toItem({
          pk: 'ACTION#old-1',
          sk: 'ACTION',
          gsi1pk: 'ACTIONS',
          gsi1sk: '2032-01-01T00:00:01.000Z#old-1',
          id: 'old-1',
          eventId: 'generic:old',
          ruleId: 'legacy',
          type: 'reply',
          status: 'failed',
          attempts: 1,
          createdAt: '2032-01-01T00:00:01.000Z',
          updatedAt: '2032-01-01T00:00:01.000Z',
        }),
      }),
    );
    for (let i = 0; i < 6; i++)
      await store.claim({ ...command(i), ruleId: 'legacy' }, 60_000, new Date(Date.parse('2032-01-01T00:00:00.000Z') + i * 2000));
    // Claimed again now: it gets a gsi2 entry with a later sort key, and must still be listed once, where it was.
    await store.claim(
      { ...command(0), id: 'old-1', eventId: 'generic:old', ruleId: 'legacy' },
      60_000,
      new Date('2032-01-01T00:00:30.000Z'),
    );

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listPage({
        limit: 2,
        rule: 'legacy',
        since: '2032-01-01T00:00:00.000Z',
        fingerprint: 'rule=legacy',
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((record) => record.id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(['cmd-5', 'cmd-4', 'cmd-3', 'cmd-2', 'cmd-1', 'old-1', 'cmd-0']);
    // A cursor of one listing is refused by another.
    const first = await store.listPage({ limit: 1, rule: 'legacy', fingerprint: 'rule=legacy' });
    await expect(
      new DynamoEventStore({ client, tableName }).listPage({ limit: 1, cursor: first.next ?? '', fingerprint: 'rule=legacy' }),
    ).rejects.toThrow('another listing');
  });
});
