import { randomBytes } from 'node:crypto';
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoAnalyticsStore } from '../../../functions/storage/dynamo/analytics-store.js';
import { DynamoEventStore } from '../../../functions/storage/dynamo/event-store.js';
import { fromItem, toItem } from '../../../functions/storage/dynamo/item.js';
import { EmbeddedAnalyticsStore } from '../../../functions/storage/embedded/analytics-store.js';
import { EmbeddedEventStore } from '../../../functions/storage/embedded/event-store.js';
import { DynamoItemImporter } from '../../../functions/storage/migrate/import-items.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { makeEvent } from '../../support/events.js';
import { useEmbeddedDatabase } from '../contracts/use-embedded-database.js';

describe('DynamoItemImporter, raw payloads', () => {
  const dynamo = useEmbeddedDynamo();
  const db = useEmbeddedDatabase();

  it('copies every stored form of a payload (gzipped, apart, as it came, quarantined) so the embedded store reads it back byte for byte', async () => {
    const { client, tableName } = dynamo.current;
    const source = new DynamoEventStore(dynamo.current);
    const now = new Date();
    const gzipped = Buffer.from(JSON.stringify({ text: 'где мой заказ? '.repeat(3000) }));
    const noise = randomBytes(200 * 1024);
    const legacy = Buffer.from(JSON.stringify({ text: 'stored before gzip '.repeat(500) }));
    const broken = Buffer.from(`{"kind":${'"broken", '.repeat(3000)}`);
    await source.putIfAbsent(makeEvent({ id: 'generic:gz' }), { platform: 'generic', body: gzipped, receivedAt: now });
    await source.putIfAbsent(makeEvent({ id: 'generic:apart', text: 'x'.repeat(150_000 / 2) }), {
      platform: 'generic',
      body: noise,
      receivedAt: now,
    });
    const old = makeEvent({ id: 'generic:old', receivedAt: now.toISOString() });
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toItem({
          pk: `EVENT#${old.id}`,
          sk: 'EVENT',
          event: old,
          raw: { platform: 'generic', body: legacy, receivedAt: old.receivedAt },
        }),
      }),
    );
    const quarantineId = await source.quarantine({ platform: 'generic', reason: 'bad', raw: broken, receivedAt: now });

    const importer = new DynamoItemImporter(db.current, { queues: [], now });
    const { Items } = await client.send(new ScanCommand({ TableName: tableName }));
    for (const item of Items ?? []) await importer.add(fromItem(item) as Parameters<DynamoItemImporter['add']>[0]);
    const report = await importer.finish();
    expect(report.unrecognised).toEqual({});

    const target = new EmbeddedEventStore({ database: db.current });
    expect((await target.getRaw('event#generic:gz'))?.equals(gzipped)).toBe(true);
    expect((await target.getRaw('event#generic:apart'))?.equals(noise)).toBe(true);
    expect((await target.getRaw('event#generic:old'))?.equals(legacy)).toBe(true);
    expect((await target.getRaw(`quarantine#${quarantineId}`))?.equals(broken)).toBe(true);
  });
});

const MINUTE = 60_000;

/**
 * The analytics of the table moved into the embedded store (`foghorn data migrate`): owned buckets stay apart from
 * unowned ones, and an owner noted beside a running clock still counts the first response after the move.
 */
describe('DynamoItemImporter: analytics by team and by person', () => {
  const dynamo = useEmbeddedDynamo();
  const db = useEmbeddedDatabase();

  it("keeps each bucket's owner and each clock's owner note", async () => {
    // Prepare: in the table, an unowned and an owned bucket of the same hour and dimensions, and a running clock
    // with sara noted as its owner.
    const t = Date.now() - 30 * MINUTE;
    const hour = new Date(Math.floor(t / 3_600_000) * 3_600_000).toISOString();
    const table = new DynamoAnalyticsStore(dynamo.current);
    const dims = { hour, platform: 'generic', channel: 'web', lang: 'fa' };
    await table.add([
      { ...dims, inbound: 2 },
      { ...dims, person: 'reza', team: 'persian-desk', firstHuman: 1, responseMs: [4 * MINUTE] },
    ]);
    await table.startClock({
      conversation: 'generic|web|m1',
      messageId: 'generic:m1',
      at: t,
      platform: 'generic',
      channel: 'web',
      lang: 'fa',
    });
    await table.ownerChanged({ conversation: 'generic|web|m1', person: 'sara', team: 'persian-desk', since: t + MINUTE });
    const { Items = [] } = await dynamo.current.client.send(new ScanCommand({ TableName: dynamo.current.tableName, ConsistentRead: true }));
    // Act
    const importer = new DynamoItemImporter(db.current, { queues: [], now: new Date() });
    for (const raw of Items) await importer.add(unmarshall(raw) as never);
    const report = await importer.finish();
    // Assess
    expect(report.copied).toMatchObject({ 'analytics buckets': 2, 'analytics clocks': 1 });
    const embedded = new EmbeddedAnalyticsStore({ database: db.current });
    await embedded.add(
      await embedded.stopClocks({ conversations: ['generic|web|m1'], at: t + 6 * MINUTE, by: 'human', targetMs: 10 * MINUTE }),
    );
    const buckets = await embedded.read(new Date(t - 3_600_000), new Date(t + 3_600_000));
    expect(
      buckets
        .map((bucket) => ({ person: bucket.person ?? null, inbound: bucket.inbound, times: bucket.responseMs }))
        .sort((a, b) => String(a.person).localeCompare(String(b.person))),
    ).toEqual([
      { person: null, inbound: 2, times: [] },
      { person: 'reza', inbound: 0, times: [4 * MINUTE] },
      { person: 'sara', inbound: 0, times: [6 * MINUTE] },
    ]);
  });
});
