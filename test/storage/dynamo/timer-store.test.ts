import { randomUUID } from 'node:crypto';
import { type AttributeValue, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { waitingConversations } from '../../../functions/crisis/conversation.js';
import { guardedExecutor } from '../../../functions/crisis/guarded-executor.js';
import type { SlaTimer, TimerStore } from '../../../functions/crisis/ports.js';
import { filingMinute } from '../../../functions/crisis/sla-timer.js';
import { DynamoActionStore } from '../../../functions/storage/dynamo/action-store.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../functions/storage/dynamo/embedded.js';
import { toItem } from '../../../functions/storage/dynamo/item.js';
import { DUE_INDEX_SHARDS, DynamoTimerStore, dueIndexKey, dueIndexMinute } from '../../../functions/storage/dynamo/timer-store.js';
import { timerStoreContract } from '../../crisis/support/store-contracts.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { countDynamoCalls } from '../../support/dynamo-calls.js';
import { makeEvent } from '../../support/events.js';

describe('DynamoTimerStore (dynalite)', () => {
  // Each test gets a fresh table: the sweep mark and the due index are table-wide.
  const started: EmbeddedDynamo[] = [];
  afterAll(async () => {
    await Promise.all(started.map((dynamo) => dynamo.stop()));
  });
  timerStoreContract(() => lazyStore(started));
});

/** A TimerStore whose table starts on first use (the contract's factories are synchronous). */
function lazyStore(started: EmbeddedDynamo[]): TimerStore {
  let store: Promise<DynamoTimerStore> | undefined;
  const get = () => {
    store ??= startEmbeddedDynamo({ tableName: `timers-${randomUUID().slice(0, 8)}` }).then((dynamo) => {
      started.push(dynamo);
      return new DynamoTimerStore({ client: dynamo.client, tableName: dynamo.tableName });
    });
    return store;
  };
  return {
    put: async (...args) => (await get()).put(...args),
    get: async (...args) => (await get()).get(...args),
    pendingInMinutes: async (...args) => (await get()).pendingInMinutes(...args),
    pendingInConversation: async (...args) => (await get()).pendingInConversation(...args),
    settle: async (...args) => (await get()).settle(...args),
    sweptThrough: async () => (await get()).sweptThrough(),
    setSweptThrough: async (...args) => (await get()).setSweptThrough(...args),
  };
}

describe("DynamoTimerStore: answers that come with a reply's completion", () => {
  const dynamo = useEmbeddedDynamo();
  const t0 = new Date('2026-11-22T10:00:00.000Z');
  const minutes = (ms: number) => new Date(t0.getTime() + ms * 60_000);

  function timer(id: string, conversation: string, writtenAt: Date): SlaTimer {
    const event = makeEvent({ id: `generic:${id}`, createdAt: writtenAt.toISOString(), thread: { id: conversation } });
    return {
      id,
      ruleId: 'answer-within-30m',
      eventId: event.id,
      conversations: [conversation],
      after: '30m',
      dueAt: minutes(30).toISOString(),
      status: 'pending',
      event,
      actions: [],
      createdAt: writtenAt.toISOString(),
    };
  }

  /** A reply in `conversation` at `at`, completed as the act stage completes it (the answer in the same transaction). */
  async function replied(commandId: string, conversation: string, at: Date): Promise<void> {
    const actions = new DynamoActionStore(dynamo.current);
    const command = {
      id: commandId,
      eventId: 'generic:q',
      ruleId: 'r',
      index: 0,
      type: 'reply',
      params: {},
      event: makeEvent(),
      createdAt: at.toISOString(),
    };
    await actions.claim(command, 30_000, at);
    const calls = countDynamoCalls(dynamo.current.client);
    await actions.complete(commandId, { status: 'succeeded', mode: 'sandbox' }, at, {
      answered: { conversations: [conversation], at: at.toISOString() },
    });
    calls.stop();
    expect(calls.calls).toEqual([
      {
        command: 'TransactWriteItemsCommand',
        keys: [`ACTION#${commandId}`, `SLACONV#${conversation}`],
        items: [`Update ACTION#${commandId}`, `Update SLACONV#${conversation}`],
      },
    ]);
  }

  it('a timer whose message a reply answered no longer waits in its conversation, and looking writes nothing', async () => {
    const timers = new DynamoTimerStore(dynamo.current);
    const conversation = 'generic:thread-a1';
    await timers.put(timer('sla_a1', conversation, t0), t0);
    // A message written after the reply waits on.
    await timers.put(timer('sla_a2', conversation, minutes(6)), t0);
    await replied('reply-a1', conversation, minutes(5));

    const calls = countDynamoCalls(dynamo.current.client);
    expect((await timers.pendingInConversation(conversation)).map((pending) => pending.id)).toEqual(['sla_a2']);
    calls.stop();
    expect(calls.writes()).toEqual([]);
    // Settled by the sweep when it comes due (the next case).
    expect(await timers.get('sla_a1')).toMatchObject({ status: 'pending' });
  });

  it('the sweep never fires a timer a reply answered: it is settled answered instead', async () => {
    const timers = new DynamoTimerStore(dynamo.current);
    const conversation = 'generic:thread-b1';
    const answered = timer('sla_b1', conversation, t0);
    await timers.put(answered, t0);
    await timers.put(timer('sla_b2', 'generic:thread-b2', t0), t0);
    await replied('reply-b1', conversation, minutes(12));

    const due = await timers.pendingInMinutes([filingMinute(answered, t0)]);
    // (The table is shared with the other cases here: only this case's timers count.)
    expect(due.map((pending) => pending.id).filter((id) => id.startsWith('sla_b'))).toEqual(['sla_b2']);
    expect(await timers.get('sla_b1')).toMatchObject({ status: 'answered', answeredAt: minutes(12).toISOString() });
  });

  it('the guard tells a store that learns answers so in the completion, and settles nothing itself', async () => {
    const timers = new DynamoTimerStore(dynamo.current);
    const conversation = 'generic:thread-c1';
    await timers.put(timer('sla_c1', conversation, t0), t0);
    const reply = {
      id: 'reply-c1',
      eventId: 'generic:c',
      ruleId: 'r',
      index: 0,
      type: 'reply',
      params: {},
      event: makeEvent({ thread: { id: conversation } }),
      createdAt: t0.toISOString(),
    };
    const calls = countDynamoCalls(dynamo.current.client);
    const result = await guardedExecutor({
      inner: async () => ({ status: 'succeeded', mode: 'sandbox' }),
      guard: () => ({ hold: false }),
      crisis: { get: async () => ({ on: false, version: 0 }), set: async () => false },
      approvals: { get: async () => undefined } as never,
      audit: { record: async () => {} } as never,
      timers,
      expireAfterMs: 60_000,
      clock: { now: () => minutes(3) },
    })(reply);
    calls.stop();
    expect(calls.calls).toEqual([]);
    expect(result.effects?.answered).toEqual({ conversations: waitingConversations(reply.event), at: minutes(3).toISOString() });
    expect(await timers.get('sla_c1')).toMatchObject({ status: 'pending' });
  });
});

describe('DynamoTimerStore: the due index is sharded within a minute', () => {
  const dynamo = useEmbeddedDynamo();
  const t0 = new Date('2026-11-22T10:00:00.000Z');
  const due = new Date(t0.getTime() + 30 * 60_000);

  function timer(id: string, dueAt: Date): SlaTimer {
    const event = makeEvent({ id: `generic:${id}`, createdAt: t0.toISOString(), thread: { id: `generic:thread-${id}` } });
    return {
      id,
      ruleId: 'answer-within-30m',
      eventId: event.id,
      conversations: [`generic:thread-${id}`],
      after: '30m',
      dueAt: dueAt.toISOString(),
      status: 'pending',
      event,
      actions: [],
      createdAt: t0.toISOString(),
    };
  }

  /** The gsi1 partition of every timer item in the table, as DynamoDB holds them. */
  async function dueKeysWritten(): Promise<string[]> {
    const keys: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamo.current.client.send(new ScanCommand({ TableName: dynamo.current.tableName, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) if (item.sk?.S === 'TIMER' && item.gsi1pk?.S) keys.push(item.gsi1pk.S);
      start = page.LastEvaluatedKey;
    } while (start);
    return keys;
  }

  it('many timers due in one minute spread over DUE_INDEX_SHARDS partitions, and the sweep lists them all in due order', async () => {
    const timers = new DynamoTimerStore(dynamo.current);
    const count = 8 * DUE_INDEX_SHARDS;
    const all = Array.from({ length: count }, (_, i) => timer(`sla_${randomUUID()}`, new Date(due.getTime() + (i % 50) * 1000)));
    for (const one of all) await timers.put(one, t0);

    const keys = await dueKeysWritten();
    const minute = filingMinute(all[0] as SlaTimer, t0);
    const perKey = new Map<string, number>();
    for (const key of keys) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    expect(keys).toHaveLength(count);
    expect([...perKey.keys()].sort()).toEqual(Array.from({ length: DUE_INDEX_SHARDS }, (_, shard) => `SLADUE#${minute}#${shard}`).sort());
    // Roughly even: no shard holds as much as three times its share.
    expect(Math.max(...perKey.values())).toBeLessThan(3 * (count / DUE_INDEX_SHARDS));
    expect(keys.every((key) => dueIndexMinute(key) === minute)).toBe(true);

    const listed = await timers.pendingInMinutes([minute]);
    const expected = [...all].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id)).map((one) => one.id);
    expect(listed.map((one) => one.id)).toEqual(expected);
  });

  it('a timer filed under the unsharded key of its minute (written before sharding) is still listed and settles', async () => {
    const timers = new DynamoTimerStore(dynamo.current);
    const old = timer('sla_filed-before-sharding', due);
    const minute = filingMinute(old, t0);
    await dynamo.current.client.send(
      new PutItemCommand({
        TableName: dynamo.current.tableName,
        Item: toItem({ ...old, pk: `SLA#${old.id}`, sk: 'TIMER', gsi1pk: `SLADUE#${minute}`, gsi1sk: `${old.dueAt}#${old.id}` }),
      }),
    );
    expect((await timers.pendingInMinutes([minute])).map((one) => one.id)).toContain(old.id);
    expect(await timers.settle(old.id, 'fired', due)).toBe(true);
    expect((await timers.pendingInMinutes([minute])).map((one) => one.id)).not.toContain(old.id);
  });

  it('dueIndexMinute reads the minute of sharded and unsharded keys and refuses other keys', () => {
    expect(dueIndexMinute('SLADUE#29000000#7')).toBe(29_000_000);
    expect(dueIndexMinute('SLADUE#29000000')).toBe(29_000_000);
    expect(dueIndexMinute(dueIndexKey(29_000_000, 'sla_x'))).toBe(29_000_000);
    expect(dueIndexMinute('SPIKES-OPEN')).toBeUndefined();
    expect(dueIndexMinute('SLADUE#x#1')).toBeUndefined();
  });
});
