import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { EMBEDDED_EVENT_MAX_BYTES, eventBytes, excerptOf } from '../../functions/core/event-excerpt.js';
import { memoryAuditLog, memoryTimerStore } from '../../functions/crisis/memory/index.js';
import { answerTimersFor, breachEvent, slaTimerId, startSlaTimer, sweepSlaTimers } from '../../functions/crisis/sla-timer.js';
import { makeEvent } from '../support/events.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const minute = (n: number) => new Date(T0 + n * 60_000);
const message = makeEvent({
  id: 'slack:1700.1',
  platform: 'slack',
  channel: { id: 'C1' },
  thread: { id: '1700.1' },
  createdAt: minute(0).toISOString(),
});
const escalate = { type: 'escalate', ruleId: 'vip-sla', index: 0, params: { target: 'team', summary: 'unanswered' } };

function setup() {
  const timers = memoryTimerStore();
  const audit = memoryAuditLog();
  const emitted: CanonicalEvent[] = [];
  const sweep = (now: Date) =>
    sweepSlaTimers(
      {
        timers,
        audit,
        emit: async (event) => {
          emitted.push(event);
        },
      },
      now,
    );
  return { timers, audit, emitted, sweep };
}

describe('SLA timers', () => {
  it("keeps a long message's excerpt, and fires its breach with the whole text read from the store (the excerpt when it is gone)", async () => {
    const timers = memoryTimerStore();
    const long = { ...message, meta: { ts: '1700.1' }, text: 'Где мой заказ? '.repeat(5000) };
    const gone = { ...long, id: 'slack:1700.2', thread: { id: '1700.2' } };
    const stored = new Map([[long.id, long]]);
    const reads: string[] = [];
    const events = {
      get: async (id: string) => {
        reads.push(id);
        const event = stored.get(id);
        return event ? { event } : undefined;
      },
    };
    for (const event of [long, gone])
      await startSlaTimer(timers, { ruleId: 'vip-sla', after: '10m', afterMs: 600_000, event, actions: [escalate] }, minute(0));
    const kept = await timers.get(slaTimerId(long.id, 'vip-sla'));
    expect(kept?.event).toEqual(excerptOf(long, EMBEDDED_EVENT_MAX_BYTES));
    expect(kept?.event.trimmed).toEqual({ bytes: eventBytes(long) });
    expect(kept?.conversations.length).toBeGreaterThan(0);

    const emitted: CanonicalEvent[] = [];
    const audit = memoryAuditLog();
    const emit = async (event: CanonicalEvent) => {
      emitted.push(event);
    };
    await sweepSlaTimers({ timers, audit, emit, events }, minute(10));
    expect(reads.sort()).toEqual([long.id, gone.id].sort());
    const breachOf = (id: string) => emitted.find((event) => event.meta?.sla && (event.meta.sla as { eventId: string }).eventId === id);
    expect(breachOf(long.id)?.text).toBe(long.text);
    expect(breachOf(long.id)?.meta?.ts).toBe('1700.1');
    expect(breachOf(gone.id)?.text).toBe(excerptOf(gone, EMBEDDED_EVENT_MAX_BYTES).text);
    expect(breachOf(gone.id)?.trimmed).toBeUndefined();
  });

  it('an unanswered message fires its 10-minute timer once, at minute 10', async () => {
    const { timers, emitted, sweep, audit } = setup();
    await startSlaTimer(timers, { ruleId: 'vip-sla', after: '10m', afterMs: 600_000, event: message, actions: [escalate] }, minute(0));
    const firedAt: number[] = [];
    for (let n = 1; n <= 30; n++) if ((await sweep(minute(n))).fired.length > 0) firedAt.push(n);
    expect(firedAt).toEqual([10]);
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({
      kind: 'sla.breached',
      platform: 'slack',
      meta: { sla: { rule: 'vip-sla', after: '10m', eventId: message.id } },
    });
    expect(audit.entries.map((entry) => entry.what)).toEqual(['sla.breached']);
  });

  it('a message answered at minute 5 by a connected account never fires', async () => {
    const { timers, emitted, sweep } = setup();
    await startSlaTimer(timers, { ruleId: 'vip-sla', after: '10m', afterMs: 600_000, event: message, actions: [escalate] }, minute(0));
    for (let n = 1; n <= 4; n++) await sweep(minute(n));
    const answer = makeEvent({
      id: 'slack:1700.9',
      platform: 'slack',
      channel: { id: 'C1' },
      thread: { id: '1700.1', replyToId: '1700.1' },
      author: { id: 'U-agent', isSelf: true },
      createdAt: minute(5).toISOString(),
    });
    expect(await answerTimersFor(timers, answer, minute(5))).toHaveLength(1);
    for (let n = 5; n <= 30; n++) await sweep(minute(n));
    expect(emitted).toEqual([]);
  });

  it('an answer in another thread does not stop the timer', async () => {
    const { timers, emitted, sweep } = setup();
    await startSlaTimer(timers, { ruleId: 'vip-sla', after: '10m', afterMs: 600_000, event: message, actions: [] }, minute(0));
    const elsewhere = makeEvent({
      platform: 'slack',
      channel: { id: 'C1' },
      thread: { id: '1699.0' },
      author: { id: 'U-agent', isSelf: true },
      createdAt: minute(2).toISOString(),
    });
    expect(await answerTimersFor(timers, elsewhere, minute(2))).toEqual([]);
    await sweep(minute(11));
    expect(emitted).toHaveLength(1);
  });

  it('a sweep after a long stop fires the timers that came due meanwhile, each once', async () => {
    const { timers, emitted, sweep } = setup();
    await sweep(minute(0));
    await startSlaTimer(timers, { ruleId: 'vip-sla', after: '10m', afterMs: 600_000, event: message, actions: [] }, minute(0));
    await startSlaTimer(
      timers,
      {
        ruleId: 'vip-sla',
        after: '10m',
        afterMs: 600_000,
        event: { ...message, id: 'slack:2', createdAt: minute(3).toISOString() },
        actions: [],
      },
      minute(3),
    );
    await sweep(minute(45));
    await sweep(minute(46));
    expect(emitted.map((event) => event.meta?.sla)).toHaveLength(2);
  });

  it('a timer for a message that is already overdue fires at the next sweep', async () => {
    const { timers, emitted, sweep } = setup();
    await sweep(minute(20));
    await startSlaTimer(timers, { ruleId: 'vip-sla', after: '10m', afterMs: 600_000, event: message, actions: [] }, minute(20));
    await sweep(minute(21));
    expect(emitted).toHaveLength(1);
  });

  it('the breach event keeps the message, thread and author so rules and replies can use them', () => {
    const event = breachEvent(
      {
        id: 'sla_x',
        ruleId: 'r',
        eventId: message.id,
        conversations: [],
        after: '10m',
        dueAt: minute(10).toISOString(),
        status: 'pending',
        event: message,
        actions: [],
        createdAt: minute(0).toISOString(),
      },
      minute(10),
    );
    expect(event).toMatchObject({
      id: 'slack:sla-breached:sla_x',
      kind: 'sla.breached',
      text: message.text,
      author: message.author,
      thread: message.thread,
      meta: { sla: { waitedMinutes: 10 } },
    });
  });
});
