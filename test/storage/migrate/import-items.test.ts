import { randomBytes } from 'node:crypto';
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoEventStore } from '../../../functions/storage/dynamo/event-store.js';
import { fromItem, toItem } from '../../../functions/storage/dynamo/item.js';
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
