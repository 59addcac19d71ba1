import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { waitingConversations } from '../../../functions/crisis/conversation.js';
import { guardedExecutor } from '../../../functions/crisis/guarded-executor.js';
import type { SlaTimer, TimerStore } from '../../../functions/crisis/ports.js';
import { filingMinute } from '../../../functions/crisis/sla-timer.js';
import { DynamoActionStore } from '../../../functions/storage/dynamo/action-store.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../functions/storage/dynamo/embedded.js';
import { DynamoTimerStore } from '../../../functions/storage/dynamo/timer-store.js';
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
