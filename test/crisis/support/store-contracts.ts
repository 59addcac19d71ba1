import { expect, it } from 'vitest';
import { endQuietEpisodes } from '../../../functions/crisis/episode-end.js';
import { epochMinute } from '../../../functions/crisis/minutes.js';
import {
  type ApprovalStore,
  type AuditLog,
  type CounterStore,
  type CrisisStore,
  type EpisodeStore,
  SAMPLES_PER_MINUTE,
  type SlaTimer,
  type TimerStore,
} from '../../../functions/crisis/ports.js';
import { observeSpike } from '../../../functions/crisis/spike.js';
import { eventSample } from '../../../functions/escalation/escalation.js';
import { makeEvent } from '../../support/events.js';

/**
 * What every implementation of the crisis ports must do, run against the in-memory stores and the
 * DynamoDB ones (dynalite): the same tests, so the two cannot drift.
 */
const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

export function counterAndEpisodeContract(make: () => { counters: CounterStore; episodes: EpisodeStore }): void {
  it('counts concurrent increments exactly, per minute, and forgets expired buckets', async () => {
    const { counters } = make();
    await Promise.all(Array.from({ length: 50 }, () => counters.increment('k', at(5), 600_000)));
    await counters.increment('k', at(65), 600_000);
    const minute = epochMinute(at(0));
    expect(await counters.buckets('k', minute, minute + 1, at(70))).toEqual(
      new Map([
        [minute, 50],
        [minute + 1, 1],
      ]),
    );
    expect((await counters.buckets('k', minute, minute + 1, at(60 + 600 + 1))).get(minute)).toBeUndefined();
  });

  it('keeps the latest samples of each minute in a bounded ring, and lists the latest first', async () => {
    const { counters } = make();
    const sample = (id: string) => eventSample(makeEvent({ id, text: `report ${id}`, author: { id: id, handle: `user_${id}` } }));
    for (let i = 0; i < 12; i++) await counters.increment('s', at(5), 600_000, sample(`a${i}`));
    for (let i = 0; i < 3; i++) await counters.increment('s', at(65), 600_000, sample(`b${i}`));
    await counters.increment('s', at(66), 600_000);
    const minute = epochMinute(at(0));
    expect((await counters.samples('s', minute, minute + 1, at(70), 5)).map((kept) => kept.id)).toEqual(['b2', 'b1', 'b0', 'a11', 'a10']);
    expect((await counters.samples('s', minute, minute, at(70), 10)).map((kept) => kept.id)).toEqual(['a11', 'a10', 'a9', 'a8', 'a7']);
    expect((await counters.samples('s', minute, minute + 1, at(70), 1))[0]).toEqual(sample('b2'));
    expect(await counters.buckets('s', minute, minute + 1, at(70))).toEqual(
      new Map([
        [minute, 12],
        [minute + 1, 4],
      ]),
    );

    // Concurrent writers: the ring still holds exactly SAMPLES_PER_MINUTE distinct events of the minute.
    await Promise.all(Array.from({ length: 40 }, (_, i) => counters.increment('c', at(5), 600_000, sample(`c${i}`))));
    const kept = await counters.samples('c', minute, minute, at(70), 10);
    expect(new Set(kept.map((entry) => entry.id)).size).toBe(SAMPLES_PER_MINUTE);
  });

  it('80 concurrent evaluators over the threshold open one episode; quiet ends it once', async () => {
    const deps = make();
    const escalate = { type: 'escalate', ruleId: 'outage', index: 0, params: { target: 'oncall' } };
    const spec = { atLeast: 30, windowMs: 600_000, quietMs: 900_000 };
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) => observeSpike('outage', spec, makeEvent({ id: `generic:${i}` }), [escalate], at(i % 20), deps)),
    );
    expect(results.filter((result) => result.fire)).toHaveLength(1);
    const open = await deps.episodes.listOpen();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ ruleId: 'outage', status: 'open', lastEventAt: at(19).toISOString() });
    expect(open[0]!.count).toBeGreaterThanOrEqual(80 - 29);
    const ended = await Promise.all([endQuietEpisodes(deps.episodes, at(19 + 900)), endQuietEpisodes(deps.episodes, at(19 + 900))]);
    expect(ended.flat()).toHaveLength(1);
    expect(await deps.episodes.listOpen()).toEqual([]);
    expect(await deps.episodes.current('outage')).toMatchObject({ status: 'closed', closedAt: at(19 + 900).toISOString() });
  });
}

export function crisisStoreContract(make: () => CrisisStore): void {
  it('starts off and changes only at the expected version', async () => {
    const store = make();
    expect(await store.get()).toEqual({ on: false, version: 0 });
    const results = await Promise.all([
      store.set({ on: true, since: 'a', by: 'maya', why: 'x' }, 0),
      store.set({ on: true, since: 'b', by: 'li', why: 'y' }, 0),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.get()).toMatchObject({ on: true, version: 1 });
    expect(await store.set({ on: false, since: 'c', by: 'maya', why: 'done' }, 0)).toBe(false);
    expect(await store.set({ on: false, since: 'c', by: 'maya', why: 'done' }, 1)).toBe(true);
    expect(await store.get()).toEqual({ on: false, since: 'c', by: 'maya', why: 'done', version: 2 });
  });
}

function timer(id: string, dueSeconds: number, conversations = ['slack|C1|t1']): SlaTimer {
  return {
    id,
    ruleId: 'sla',
    eventId: `slack:${id}`,
    conversations,
    after: '10m',
    dueAt: at(dueSeconds).toISOString(),
    status: 'pending',
    event: makeEvent({ id: `slack:${id}`, createdAt: at(dueSeconds - 600).toISOString() }),
    actions: [{ type: 'escalate', ruleId: 'sla', index: 0, params: {} }],
    createdAt: at(dueSeconds - 600).toISOString(),
  };
}

export function timerStoreContract(make: () => TimerStore): void {
  it('files timers under their due minute, finds them by conversation, and settles each once', async () => {
    const store = make();
    expect(await store.put(timer('a', 600), at(0))).toBe(true);
    expect(await store.put(timer('a', 600), at(0))).toBe(false);
    await store.put(timer('b', 660, ['slack|C1|t2']), at(60));
    const due = epochMinute(at(600));
    expect((await store.pendingInMinutes([due])).map((t) => t.id)).toEqual(['a']);
    expect((await store.pendingInMinutes([due, due + 1])).map((t) => t.id).sort()).toEqual(['a', 'b']);
    expect((await store.pendingInConversation('slack|C1|t1')).map((t) => t.id)).toEqual(['a']);
    const settled = await Promise.all([store.settle('a', 'fired', at(600)), store.settle('a', 'answered', at(600))]);
    expect(settled.filter(Boolean)).toHaveLength(1);
    expect(await store.pendingInMinutes([due])).toEqual([]);
    expect(await store.pendingInConversation('slack|C1|t1')).toEqual([]);
    expect((await store.get('a'))?.status).toMatch(/fired|answered/);
    expect((await store.get('b'))?.actions).toEqual([{ type: 'escalate', ruleId: 'sla', index: 0, params: {} }]);
  });

  it('files an overdue timer under the current minute', async () => {
    const store = make();
    await store.put(timer('late', 60), at(900));
    expect((await store.pendingInMinutes([epochMinute(at(900))])).map((t) => t.id)).toEqual(['late']);
  });

  it('keeps the sweep mark and never moves it backwards', async () => {
    const store = make();
    expect(await store.sweptThrough()).toBeUndefined();
    await store.setSweptThrough(100);
    await store.setSweptThrough(90);
    expect(await store.sweptThrough()).toBe(100);
  });
}

export function approvalStoreContract(make: () => ApprovalStore): void {
  const approval = (id: string, createdAt: string) => ({
    id,
    status: 'pending' as const,
    reason: 'crisis mode',
    heldBy: 'crisis' as const,
    createdAt,
    expiresAt: '2026-11-23T10:00:00.000Z',
  });

  it('files once, lists by status newest first, and lets one decision win', async () => {
    const store = make();
    await store.putIfAbsent(approval('a', '2026-11-22T10:00:00.000Z'));
    await store.putIfAbsent(approval('b', '2026-11-22T10:01:00.000Z'));
    expect((await store.putIfAbsent({ ...approval('a', '2026-11-22T11:00:00.000Z'), reason: 'other' })).reason).toBe('crisis mode');
    expect((await store.list('pending', 10)).map((a) => a.id)).toEqual(['b', 'a']);
    const decisions = await Promise.all([
      store.decide('a', 'approved', 'maya', 'ok', at(0)),
      store.decide('a', 'rejected', 'li', 'no', at(0)),
    ]);
    expect(decisions.filter(Boolean)).toHaveLength(1);
    expect((await store.list('pending', 10)).map((a) => a.id)).toEqual(['b']);
    expect((await store.list(undefined, 10)).map((a) => a.id)).toEqual(['b', 'a']);
    expect(await store.get('a')).toMatchObject({ decidedAt: at(0).toISOString() });
    expect(await store.decide('missing', 'approved', 'maya', undefined, at(0))).toBe(false);
    await store.markDispatched('a', at(1));
    await store.markDispatched('a', at(2));
    expect((await store.get('a'))?.dispatchedAt).toBe(at(1).toISOString());
  });
}

export function auditLogContract(make: () => AuditLog): void {
  it('records an id once and lists newest first', async () => {
    const log = make();
    await log.record({ id: 'one', at: '2026-11-22T10:00:00.000Z', kind: 'crisis', what: 'crisis.on', who: 'maya', why: 'outage' });
    await log.record({
      id: 'two',
      at: '2026-11-22T10:05:00.000Z',
      kind: 'approval',
      what: 'approval.approved',
      who: 'maya',
      commandId: 'act_1',
    });
    await log.record({ id: 'one', at: '2026-11-22T10:09:00.000Z', kind: 'crisis', what: 'crisis.on', who: 'again' });
    expect(await log.list(10)).toEqual([
      { id: 'two', at: '2026-11-22T10:05:00.000Z', kind: 'approval', what: 'approval.approved', who: 'maya', commandId: 'act_1' },
      { id: 'one', at: '2026-11-22T10:00:00.000Z', kind: 'crisis', what: 'crisis.on', who: 'maya', why: 'outage' },
    ]);
    expect(await log.list(1)).toHaveLength(1);
  });
}
