import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type BusRouteSpec, type QueueName, topology } from '../../functions/app/topology.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { DurableQueue } from '../../functions/local/durable-queue.js';
import { DynamoQueueStorage } from '../../functions/local/dynamo-queue-storage.js';
import { LocalBus } from '../../functions/local/local-bus.js';
import { EmbeddedDatabase } from '../../functions/storage/embedded/database.js';
import { EmbeddedQueueStorage } from '../../functions/storage/embedded/queue-storage.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';

const event: CanonicalEvent = {
  id: 'generic:42',
  platform: 'generic',
  kind: 'comment',
  text: 'where is my order?',
  author: { id: 'u1', handle: 'alice' },
  channel: { id: 'c1' },
  thread: {},
  createdAt: '2026-11-22T01:00:00Z',
  receivedAt: '2026-11-22T01:00:01Z',
};

let run = 0;

describe('LocalBus', () => {
  const dynamo = useEmbeddedDynamo();

  async function makeQueues(): Promise<Record<QueueName, DurableQueue>> {
    run++;
    const make = (name: string) =>
      new DurableQueue({
        storage: DynamoQueueStorage.of(dynamo.current.client, dynamo.current.tableName),
        name: `${name}${run}`,
        visibilityTimeoutMs: 60_000,
        maxReceiveCount: 3,
      });
    const queues = { events: make('events'), actions: make('actions') };
    await Promise.all(Object.values(queues).map((queue) => queue.start()));
    return queues;
  }

  async function stored(queue: DurableQueue): Promise<string[]> {
    const { Items = [] } = await dynamo.current.client.send(
      new QueryCommand({
        TableName: dynamo.current.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `QUEUE#${queue.name}` } },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => item.body?.S ?? '');
  }

  it('routes canonical events by the topology routes, in an EventBridge envelope, stored before publish resolves', async () => {
    // Prepare
    const queues = await makeQueues();
    const bus = new LocalBus(topology.busRoutes, queues);
    // Act
    await bus.publish([event]);
    // Assess
    const bodies = await stored(queues.events);
    expect(bodies).toHaveLength(1);
    const envelope = JSON.parse(bodies[0]!) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      version: '0',
      source: 'foghorn.ingest',
      'detail-type': 'social.event',
      account: '000000000000',
      region: 'local',
      resources: [],
      detail: event,
    });
    expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(envelope.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await stored(queues.actions)).toEqual([]);
    expect(queues.events.depth().visible).toBe(1);
    await Promise.all(Object.values(queues).map((queue) => queue.stop()));
  });

  it('delivers to every matching queue once, and drops entries no route matches', async () => {
    const queues = await makeQueues();
    const routes: BusRouteSpec[] = [
      { name: 'a', pattern: { source: ['s1'], 'detail-type': ['t1', 't2'] }, targetQueue: 'events' },
      { name: 'b', pattern: { source: ['s1'], 'detail-type': ['t1'] }, targetQueue: 'actions' },
      { name: 'c', pattern: { source: ['s1', 's2'], 'detail-type': ['t1'] }, targetQueue: 'actions' },
    ];
    const bus = new LocalBus(routes, queues);

    const targets = await bus.putEvents([
      { source: 's1', detailType: 't1', detail: { n: 1 } },
      { source: 's1', detailType: 't2', detail: { n: 2 } },
      { source: 's3', detailType: 't1', detail: { n: 3 } },
    ]);

    expect(targets).toEqual([['events', 'actions'], ['events'], []]);
    const details = async (queue: DurableQueue) => (await stored(queue)).map((body) => (JSON.parse(body) as { detail: unknown }).detail);
    expect(await details(queues.events)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await details(queues.actions)).toEqual([{ n: 1 }]);
    await Promise.all(Object.values(queues).map((queue) => queue.stop()));
  });

  it('refuses a route to a queue it was not given', async () => {
    const queues = await makeQueues();
    const routes = [{ name: 'lost', pattern: { source: ['s'], 'detail-type': ['t'] }, targetQueue: 'nowhere' as QueueName }];
    expect(() => new LocalBus(routes, queues)).toThrow(/route 'lost' targets queue 'nowhere'/);
  });

  it('rejects publish when the queue cannot store the event, so ingest can answer 5xx', async () => {
    const queues = await makeQueues();
    await queues.events.stop();
    await expect(new LocalBus(topology.busRoutes, queues).publish([event])).rejects.toThrow(/send after stop/);
  });

  it('refuses to enqueue inside a transaction when the queues are in the DynamoDB table', async () => {
    const queues = await makeQueues();
    expect(() => new LocalBus(topology.busRoutes, queues).enqueueIn({ put: () => {}, afterCommit: () => {} }, event)).toThrow(
      /cannot write inside another store's transaction/,
    );
    await Promise.all(Object.values(queues).map((queue) => queue.stop()));
  });
});

describe('LocalBus over the embedded database (the event store’s outbox)', () => {
  let folder: string;
  let db: EmbeddedDatabase;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'foghorn-local-bus-'));
    db = EmbeddedDatabase.open({ path: folder });
  });
  afterAll(async () => {
    await db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  function makeQueues(): Record<QueueName, DurableQueue> {
    run++;
    const storage = new EmbeddedQueueStorage(db);
    const make = (name: string) => new DurableQueue({ storage, name: `${name}${run}`, visibilityTimeoutMs: 60_000, maxReceiveCount: 3 });
    return { events: make('events'), actions: make('actions') };
  }

  it('routes an event into the write that stores it: on the events queue once that write commits, in an EventBridge envelope', async () => {
    // Prepare
    const queues = makeQueues();
    await Promise.all(Object.values(queues).map((queue) => queue.start()));
    const bus = new LocalBus(topology.busRoutes, queues);
    const received: SQSRecord[] = [];
    queues.events.consume(async (batch) => {
      received.push(...batch.Records);
    });

    // Act: the event store's write, with the bus as its outbox.
    const targets = await db.write((tx) => {
      tx.put(`event/${event.id}`, event);
      return bus.enqueueIn(tx, event);
    });

    // Assess
    expect(targets).toEqual(['events']);
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(JSON.parse(received[0]!.body)).toMatchObject({ source: 'foghorn.ingest', 'detail-type': 'social.event', detail: event });
    expect(queues.actions.depth().total).toBe(0);
    await Promise.all(Object.values(queues).map((queue) => queue.stop()));
  });

  it('enqueues nothing when the write that carried the event throws', async () => {
    const queues = makeQueues();
    await Promise.all(Object.values(queues).map((queue) => queue.start()));
    const bus = new LocalBus(topology.busRoutes, queues);
    await expect(
      db.write((tx) => {
        bus.enqueueIn(tx, event);
        throw new Error('conditional put failed');
      }),
    ).rejects.toThrow('conditional put failed');
    // A later outbox write that commits; the failed one's outbox was settled (not committed) before it rejected.
    await db.write((tx) => bus.enqueueIn(tx, { ...event, id: 'generic:43' }));
    await vi.waitFor(() => expect(queues.events.depth().total).toBe(1));
    expect(queues.events.list().map((message) => (JSON.parse(message.body) as { detail: CanonicalEvent }).detail.id)).toEqual([
      'generic:43',
    ]);
    await Promise.all(Object.values(queues).map((queue) => queue.stop()));
  });
});
