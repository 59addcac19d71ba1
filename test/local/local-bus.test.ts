import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { type BusRouteSpec, type QueueName, topology } from '../../functions/app/topology.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { DurableQueue } from '../../functions/local/durable-queue.js';
import { LocalBus } from '../../functions/local/local-bus.js';
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
        client: dynamo.current.client,
        tableName: dynamo.current.tableName,
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
});
