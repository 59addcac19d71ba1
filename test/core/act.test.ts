import { describe, expect, it } from 'vitest';
import { type ActDependencies, type ActionExecutor, actOn, backoffMs } from '../../functions/core/act.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { AmbiguousActionError, PermanentActionError, TransientActionError } from '../../functions/core/errors.js';
import { EMBEDDED_EVENT_MAX_BYTES, excerptOf } from '../../functions/core/event-excerpt.js';
import { DynamoActionStore } from '../../functions/storage/dynamo/action-store.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { makeEvent } from '../support/events.js';

function command(id: string, type = 'reply'): ActionCommand {
  return {
    id,
    eventId: 'generic:e1',
    ruleId: 'faq',
    index: 0,
    type,
    params: { text: 'hi' },
    event: makeEvent(),
    createdAt: '2026-11-22T10:00:00.000Z',
  };
}

describe('actOn', () => {
  const dynamo = useEmbeddedDynamo();
  const deps = (executor: ActionExecutor): ActDependencies => ({
    actions: new DynamoActionStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }),
    executors: { reply: executor },
    clock: { now: () => new Date() },
    leaseMs: 30_000,
  });

  it('runs a command once however often it is delivered', async () => {
    let calls = 0;
    const d = deps(async () => {
      calls++;
      return { status: 'succeeded', mode: 'sandbox' };
    });
    const outcomes = await Promise.all([actOn(command('x1'), d), actOn(command('x1'), d), actOn(command('x1'), d)]);
    await actOn(command('x1'), d);
    expect(calls).toBe(1);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['done', 'retry', 'retry']);
    // A busy command comes back after the handler's short backoff, not after the whole lease.
    expect(outcomes.filter((o) => o.status === 'retry')).toEqual([
      { status: 'retry', reason: 'another worker holds this command' },
      { status: 'retry', reason: 'another worker holds this command' },
    ]);
    expect(await d.actions.get('x1')).toMatchObject({ status: 'succeeded', mode: 'sandbox', attempts: 1 });
  });

  it("hands the executor a command's whole event when it carries an excerpt, and dead-letters it unclaimed when the event is gone", async () => {
    const whole = makeEvent({ id: 'generic:long', text: 'long '.repeat(20_000), meta: { replyTargetId: 'r-1' } });
    const reads: string[] = [];
    const events = {
      get: async (id: string) => {
        reads.push(id);
        return id === whole.id ? { event: whole } : undefined;
      },
    };
    const seen: ActionCommand[] = [];
    const d = {
      ...deps(async (executed) => {
        seen.push(executed);
        return { status: 'succeeded', mode: 'sandbox' };
      }),
      events,
    };
    const carried = { ...command('x-excerpt'), eventId: whole.id, event: excerptOf(whole, EMBEDDED_EVENT_MAX_BYTES) };
    expect(carried.event.trimmed).toBeDefined();
    expect(await actOn(carried, d)).toMatchObject({ status: 'done' });
    expect(seen.map((executed) => executed.event)).toEqual([whole]);
    expect(reads).toEqual([whole.id]);
    // A small event is carried whole: nothing is read.
    await actOn(command('x-small'), d);
    expect(reads).toEqual([whole.id]);

    const orphan = { ...carried, id: 'x-orphan', eventId: 'generic:gone', event: { ...carried.event, id: 'generic:gone' } };
    const outcome = await actOn(orphan, d);
    expect(outcome).toMatchObject({ status: 'dead' });
    expect(outcome.status === 'dead' && outcome.reason).toContain('generic:gone');
    expect(await d.actions.get('x-orphan')).toBeUndefined();
    expect(seen).toHaveLength(2);
  });

  it('asks for a retry after the platform’s time on a transient failure, then succeeds', async () => {
    let calls = 0;
    const d = deps(async () => {
      calls++;
      if (calls === 1) throw new TransientActionError('429 Too Many Requests', 7000);
      return { status: 'succeeded', mode: 'live', externalId: 'm1' };
    });
    expect(await actOn(command('x2'), d)).toEqual({ status: 'retry', reason: '429 Too Many Requests', retryAfterMs: 7000 });
    expect((await d.actions.get('x2'))?.status).toBe('retrying');
    expect((await actOn(command('x2'), d)).status).toBe('done');
    expect(await d.actions.get('x2')).toMatchObject({ status: 'succeeded', externalId: 'm1', attempts: 2 });
  });

  it('marks a permanent failure with the platform’s error text and sends it to the dead letters', async () => {
    const d = deps(async () => {
      throw new PermanentActionError('(#100) Object does not exist');
    });
    expect(await actOn(command('x3'), d)).toEqual({ status: 'dead', reason: '(#100) Object does not exist' });
    expect(await d.actions.get('x3')).toMatchObject({ status: 'failed', error: '(#100) Object does not exist' });
  });

  it('hands what the executor changed (tags, its audit line) to the completion, and keeps it out of the outcome', async () => {
    const completions: unknown[] = [];
    const actions = new DynamoActionStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });
    const recording = Object.assign(Object.create(actions) as DynamoActionStore, {
      complete: (...args: Parameters<DynamoActionStore['complete']>) => {
        completions.push(args[3]);
        return actions.complete(args[0], args[1], args[2]);
      },
    });
    const effects = {
      audit: { id: 'action:x5:succeeded', at: '2026-11-22T10:00:00.000Z', kind: 'action' as const, what: 'reply.succeeded' },
    };
    const d = { ...deps(async () => ({ status: 'succeeded' as const, mode: 'live' as const, effects })), actions: recording };
    expect(await actOn(command('x5'), d)).toEqual({ status: 'done', record: { status: 'succeeded', mode: 'live' } });
    expect(completions).toEqual([effects]);
  });

  it('fails an unknown action type for good, naming the known ones', async () => {
    const d = deps(async () => ({ status: 'succeeded' }));
    const outcome = await actOn(command('x4', 'telepathy'), d);
    expect(outcome).toEqual({ status: 'dead', reason: "no executor for action type 'telepathy' (known: reply)" });
  });
});

describe('actOn, when the outcome is ambiguous', () => {
  const dynamo = useEmbeddedDynamo();
  const store = () => new DynamoActionStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });
  const request = { method: 'POST' as const, url: 'https://api.example/send', headers: {}, body: '{}' };

  it('never retries a call that may have reached the platform when no outcome model says it is safe: unknown', async () => {
    let calls = 0;
    const d: ActDependencies = {
      actions: store(),
      executors: {
        reply: async () => {
          calls++;
          throw new AmbiguousActionError('POST https://api.example: no answer within 10000 ms', { request });
        },
      },
      clock: { now: () => new Date() },
      leaseMs: 30_000,
    };
    expect(await actOn(command('y1'), d)).toMatchObject({ status: 'done', record: { status: 'unknown', request } });
    expect(await actOn(command('y1'), d)).toEqual({ status: 'skipped' });
    expect(calls).toBe(1);
  });

  it('settles a takeover before sending: found is succeeded without a call; unknown is held for a person', async () => {
    const held: string[] = [];
    let calls = 0;
    const actions = store();
    const d = (settled: 'found' | 'unknown'): ActDependencies => ({
      actions,
      executors: {
        reply: async () => {
          calls++;
          return { status: 'succeeded', mode: 'live' };
        },
      },
      clock: { now: () => new Date() },
      leaseMs: 30_000,
      ambiguous: {
        settle: async () => (settled === 'found' ? { settled, externalId: 'm-7', note: 'it is there' } : { settled, note: 'cannot tell' }),
        hold: async (heldCommand, reason) => {
          held.push(`${heldCommand.id}: ${reason}`);
        },
      },
    });
    const crashedAt = new Date(Date.now() - 60_000);
    await actions.claim(command('y2'), 1000, crashedAt);
    await actions.claim(command('y3'), 1000, crashedAt);
    expect(await actOn(command('y2'), d('found'))).toMatchObject({ status: 'done', record: { status: 'succeeded', externalId: 'm-7' } });
    expect(await actOn(command('y3'), d('unknown'))).toMatchObject({ status: 'done', record: { status: 'unknown' } });
    expect(calls).toBe(0);
    expect(held).toEqual([expect.stringMatching(/^y3: a previous attempt never finished .*; cannot tell$/)]);
  });
});

describe('backoffMs', () => {
  it('grows exponentially with the attempt and stays within its cap', () => {
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(1, () => 1)).toBe(1000);
    expect(backoffMs(4, () => 1)).toBe(8000);
    expect(backoffMs(40, () => 1)).toBe(15 * 60_000);
  });
});
