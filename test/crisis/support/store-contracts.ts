import { expect, it } from 'vitest';
import { endQuietEpisodes } from '../../../functions/crisis/episode-end.js';
import { epochMinute } from '../../../functions/crisis/minutes.js';
import {
  type Approval,
  type ApprovalStore,
  type AuditEntry,
  type AuditLog,
  type CounterStore,
  type CrisisStore,
  type EpisodeStore,
  SAMPLES_PER_MINUTE,
  type SlaTimer,
  type SpikeEpisode,
  type TimerStore,
} from '../../../functions/crisis/ports.js';
import { observeSpike, spikeIncident } from '../../../functions/crisis/spike.js';
import { eventSample } from '../../../functions/escalation/escalation.js';
import { makeEvent } from '../../support/events.js';

/**
 * What every implementation of the crisis ports must do, run against the in-memory stores, the
 * DynamoDB ones (dynalite) and the embedded ones (lmdb): the same tests, so they cannot drift.
 *
 * A harness may hand every test stores over one shared table (the DynamoDB files do): tests use their
 * own rule ids, and each listing test uses times later than the tests before it, so the newest entries
 * of a listing are always the test's own.
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
    // One sweep closed it; the other may only have found it closed and owed (sending the same command ids again).
    expect(ended.flat().filter((end) => !end.resumed)).toHaveLength(1);
    expect(await deps.episodes.listOpen()).toEqual([]);
    expect(await deps.episodes.current('outage')).toMatchObject({ status: 'closed', closedAt: at(19 + 900).toISOString() });
  });

  it("keeps an ended episode's commands owed until dispatched: the next sweep resends them, and no new episode overwrites them", async () => {
    const deps = make();
    const escalate = { type: 'escalate', ruleId: 'owed', index: 0, params: { target: 'oncall', summary: 'Outage' } };
    const spec = { atLeast: 1, windowMs: 600_000, quietMs: 900_000 };
    const opened = await observeSpike('owed', spec, makeEvent({ id: 'generic:owed-1' }), [escalate], at(3000), deps);
    expect(opened.fire).toBe(true);
    const [first] = (await endQuietEpisodes(deps.episodes, at(3000 + 900))).filter((end) => end.episode.ruleId === 'owed');
    expect(first).toMatchObject({ episode: { ruleId: 'owed', status: 'closed' } });
    expect(first!.resolves).toHaveLength(1);
    expect(first!.resumed).toBeUndefined();

    // The sweep stopped before dispatching: a new spike may not take the rule's episode, and the next sweep owes it.
    const meanwhile = await observeSpike('owed', spec, makeEvent({ id: 'generic:owed-2' }), [escalate], at(4000), deps);
    expect(meanwhile.fire).toBe(false);
    const again = (await endQuietEpisodes(deps.episodes, at(4060))).filter((end) => end.episode.ruleId === 'owed');
    expect(again).toHaveLength(1);
    expect(again[0]!.resumed).toBe(true);
    expect(again[0]!.resolves.map((command) => command.id)).toEqual(first!.resolves.map((command) => command.id));

    await deps.episodes.dispatched('owed', first!.episode.incident);
    expect((await deps.episodes.listUndispatched()).filter((episode) => episode.ruleId === 'owed')).toEqual([]);
    expect((await endQuietEpisodes(deps.episodes, at(4120))).filter((end) => end.episode.ruleId === 'owed')).toEqual([]);
    const next = await observeSpike('owed', spec, makeEvent({ id: 'generic:owed-3' }), [escalate], at(4200), deps);
    expect(next.fire).toBe(true);
  });

  it('reads the minutes asked for, both ends included, and keeps keys apart', async () => {
    const { counters } = make();
    const minute = epochMinute(at(0));
    for (let offset = 0; offset < 5; offset++) await counters.increment('w', at(offset * 60 + 1), 3_600_000);
    await counters.increment('w', at(62), 3_600_000);
    // Keys that extend another's, or that it extends, are other counters.
    await counters.increment('w2', at(61), 3_600_000);
    await counters.increment('w/x', at(61), 3_600_000);
    await counters.increment('', at(61), 3_600_000);
    expect(await counters.buckets('w', minute + 1, minute + 3, at(300))).toEqual(
      new Map([
        [minute + 1, 2],
        [minute + 2, 1],
        [minute + 3, 1],
      ]),
    );
    expect(await counters.buckets('w', minute + 4, minute + 4, at(300))).toEqual(new Map([[minute + 4, 1]]));
    expect(await counters.buckets('w', minute + 5, minute + 30, at(300))).toEqual(new Map());
    expect(await counters.buckets('w', minute - 30, minute - 1, at(300))).toEqual(new Map());
    expect(await counters.buckets('w2', minute, minute + 4, at(300))).toEqual(new Map([[minute + 1, 1]]));
    expect(await counters.buckets('never', minute, minute + 4, at(300))).toEqual(new Map());
  });

  it('keeps a bucket until its minute ends plus the retention, then forgets it and its samples', async () => {
    const { counters } = make();
    const minute = epochMinute(at(0));
    const sample = eventSample(makeEvent({ id: 'generic:kept' }));
    await counters.increment('r', at(30), 120_000, sample);
    await counters.increment('r', at(90), 120_000);
    const expiry = (minute + 1) * 60_000 + 120_000;
    expect(await counters.buckets('r', minute, minute + 1, new Date(expiry - 1))).toEqual(
      new Map([
        [minute, 1],
        [minute + 1, 1],
      ]),
    );
    expect(await counters.samples('r', minute, minute + 1, new Date(expiry - 1), 5)).toEqual([sample]);
    expect(await counters.buckets('r', minute, minute + 1, new Date(expiry))).toEqual(new Map([[minute + 1, 1]]));
    expect(await counters.samples('r', minute, minute + 1, new Date(expiry), 5)).toEqual([]);
    expect(await counters.buckets('r', minute, minute + 1, new Date(expiry + 60_000))).toEqual(new Map());
  });

  it('counts a sliding window: events older than the window never open an episode', async () => {
    const deps = make();
    const spec = { atLeast: 3, windowMs: 300_000, quietMs: 600_000 };
    const observe = (n: number, seconds: number) =>
      observeSpike('sliding', spec, makeEvent({ id: `generic:slide${n}` }), [], at(seconds), deps);
    expect((await observe(1, 0)).fire).toBe(false);
    expect((await observe(2, 60)).fire).toBe(false);
    // Minute 6: the window is minutes 2–6, so the first two have slid out.
    expect(await observe(3, 360)).toMatchObject({ fire: false, count: 1 });
    expect(await observe(4, 361)).toMatchObject({ fire: false, count: 2 });
    const opened = await observe(5, 362);
    expect(opened).toMatchObject({ fire: true, count: 3 });
    if (opened.fire) expect(opened.samples.map((kept) => kept.id)).toEqual(['generic:slide5', 'generic:slide4', 'generic:slide3']);
  });

  it('opens one episode per rule at a time, touches only its incident, and closes it only when nothing came since', async () => {
    const { episodes } = make();
    const rule = 'lifecycle';
    const first = episodeOf(rule, at(0));
    expect(await episodes.open(first)).toBe(true);
    expect(await episodes.open(episodeOf(rule, at(5)))).toBe(false);
    expect(await episodes.current(rule)).toEqual(first);
    expect(await episodes.current('lifecycle-none')).toBeUndefined();

    await episodes.touch(rule, first.incident, at(30));
    // A late event of a batch counts but never moves lastEventAt backwards.
    await episodes.touch(rule, first.incident, at(20));
    await episodes.touch(rule, spikeIncident(rule, at(5)), at(40));
    expect(await episodes.current(rule)).toMatchObject({ status: 'open', count: 3, lastEventAt: at(30).toISOString() });

    expect(await episodes.close(rule, first.incident, at(20).toISOString(), at(900))).toBe(false);
    expect(await episodes.close(rule, spikeIncident(rule, at(5)), at(30).toISOString(), at(900))).toBe(false);
    expect(await episodes.close('lifecycle-none', first.incident, at(30).toISOString(), at(900))).toBe(false);
    expect(await episodes.close(rule, first.incident, at(30).toISOString(), at(930))).toBe(true);
    expect(await episodes.close(rule, first.incident, at(30).toISOString(), at(931))).toBe(false);
    await episodes.touch(rule, first.incident, at(940));
    expect(await episodes.current(rule)).toEqual({
      ...first,
      status: 'closed',
      count: 3,
      lastEventAt: at(30).toISOString(),
      closedAt: at(930).toISOString(),
      undispatched: true,
    });

    // Until its end's commands are dispatched, the closed episode holds the rule: the next waits.
    const second = episodeOf(rule, at(1000));
    expect(await episodes.open(second)).toBe(false);
    await episodes.dispatched(rule, spikeIncident(rule, at(5)));
    expect(await episodes.open(second)).toBe(false);
    await episodes.dispatched(rule, first.incident);
    expect(await episodes.current(rule)).toEqual({
      ...first,
      status: 'closed',
      count: 3,
      lastEventAt: at(30).toISOString(),
      closedAt: at(930).toISOString(),
    });
    expect(await episodes.open(second)).toBe(true);
    expect(await episodes.current(rule)).toEqual(second);
  });

  it('lists every open episode, whole, and drops a closed one', async () => {
    const { episodes } = make();
    const a = episodeOf('listed-a', at(0));
    const b = { ...episodeOf('listed-b', at(10)), onQuiet: [{ type: 'reply', ruleId: 'listed-b', index: 0, params: { text: 'fixed' } }] };
    await episodes.open(a);
    await episodes.open(b);
    const listed = () => episodes.listOpen().then((open) => open.filter((episode) => episode.ruleId.startsWith('listed-')));
    expect((await listed()).sort((x, y) => x.ruleId.localeCompare(y.ruleId))).toEqual([a, b]);
    expect(await episodes.close('listed-a', a.incident, a.lastEventAt, at(900))).toBe(true);
    expect(await listed()).toEqual([b]);
  });
}

function episodeOf(ruleId: string, startedAt: Date): SpikeEpisode {
  const first = makeEvent({ id: `generic:${ruleId}`, text: 'the app is down' });
  return {
    ruleId,
    incident: spikeIncident(ruleId, startedAt),
    status: 'open',
    startedAt: startedAt.toISOString(),
    lastEventAt: startedAt.toISOString(),
    count: 1,
    quietMs: 900_000,
    firstEvent: first,
    actions: [{ type: 'escalate', ruleId, index: 0, params: { target: 'oncall', severity: 'critical' } }],
    samples: [eventSample(first)],
  };
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

  it('refuses a stale or a future version, and one change replaces the whole state', async () => {
    const store = make();
    const { version } = await store.get();
    expect(await store.set({ on: true, by: 'maya' }, version + 1)).toBe(false);
    expect(await store.set({ on: true, since: 'd', by: 'maya', why: 'outage' }, version)).toBe(true);
    expect(await store.set({ on: false, by: 'li' }, version)).toBe(false);
    const people = ['ana', 'ben', 'cai', 'dee', 'eli'];
    const results = await Promise.all(people.map((by, i) => store.set({ on: i % 2 === 0, by }, version + 1)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.get()).toEqual({ on: winner % 2 === 0, by: people[winner], version: version + 2 });
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
    await Promise.all([105, 103, 109, 107].map((minute) => store.setSweptThrough(minute)));
    expect(await store.sweptThrough()).toBe(109);
  });

  it('finds a timer in each of its conversations and nowhere else, and settles it once with its time', async () => {
    const store = make();
    const multi = timer('multi', 600, ['slack|C1|t1', 'email|m@x.io|<id@x>']);
    await store.put(multi, at(0));
    await store.put(timer('other', 600, ['slack|C1|t10']), at(0));
    const ids = async (conversation: string) => (await store.pendingInConversation(conversation)).map((t) => t.id);
    expect(await ids('slack|C1|t1')).toEqual(['multi']);
    expect(await ids('email|m@x.io|<id@x>')).toEqual(['multi']);
    expect(await ids('slack|C1')).toEqual([]);
    expect(await ids('slack|C1|t10')).toEqual(['other']);
    expect(await store.get('multi')).toEqual(multi);
    expect(await store.get('missing')).toBeUndefined();

    expect(await store.settle('missing', 'fired', at(600))).toBe(false);
    expect(await store.settle('multi', 'answered', at(300))).toBe(true);
    expect(await store.settle('multi', 'fired', at(600))).toBe(false);
    expect(await store.get('multi')).toEqual({ ...multi, status: 'answered', answeredAt: at(300).toISOString() });
    expect(await ids('slack|C1|t1')).toEqual([]);
    expect(await ids('email|m@x.io|<id@x>')).toEqual([]);
    const due = epochMinute(at(600));
    expect((await store.pendingInMinutes([due])).map((t) => t.id)).toEqual(['other']);
    expect(await store.settle('other', 'fired', at(610))).toBe(true);
    expect(await store.get('other')).toMatchObject({ status: 'fired', firedAt: at(610).toISOString() });
    expect(await store.get('other')).not.toHaveProperty('answeredAt');
    expect(await store.pendingInMinutes([due])).toEqual([]);
  });

  it('reads only the minutes asked for', async () => {
    const store = make();
    await store.put(timer('m', 600), at(0));
    const due = epochMinute(at(600));
    expect(await store.pendingInMinutes([])).toEqual([]);
    expect(await store.pendingInMinutes([due - 1, due + 1])).toEqual([]);
    expect((await store.pendingInMinutes([due - 1, due, due + 1])).map((t) => t.id)).toEqual(['m']);
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

  it('lists each status newest first up to the limit, and keeps who decided and why', async () => {
    const store = make();
    const created = (day: number) => `2026-12-0${day}T10:00:00.000Z`;
    const held = {
      ...approval('q4', created(4)),
      heldBy: 'guard' as const,
      reason: 'sensitive term "refund"',
      command: {
        id: 'act_q4',
        eventId: 'generic:q4',
        ruleId: 'reply',
        index: 0,
        type: 'reply',
        params: { text: 'sorry' },
        event: makeEvent({ id: 'generic:q4' }),
        createdAt: created(4),
      },
    };
    // Filed out of order: the listing orders them, not the filing.
    for (const day of [3, 1]) await store.putIfAbsent(approval(`q${day}`, created(day)));
    expect(await store.putIfAbsent(held)).toEqual(held);
    await store.putIfAbsent(approval('q2', created(2)));
    const ids = (approvals: Approval[]) => approvals.map((a) => a.id);
    const own = (approvals: Approval[]) => ids(approvals).filter((id) => id.startsWith('q'));
    expect(ids(await store.list('pending', 2))).toEqual(['q4', 'q3']);
    expect(ids(await store.list(undefined, 3))).toEqual(['q4', 'q3', 'q2']);
    expect(await store.get('q4')).toEqual(held);

    expect(await store.decide('q2', 'approved', 'maya', undefined, at(10))).toBe(true);
    expect(await store.decide('q3', 'rejected', 'li', 'spam', at(11))).toBe(true);
    expect(await store.decide('q1', 'expired', 'sweep', undefined, at(12))).toBe(true);
    expect(await store.decide('q3', 'approved', 'maya', undefined, at(13))).toBe(false);
    expect(own(await store.list('pending', 10))).toEqual(['q4']);
    expect(own(await store.list('approved', 10))).toEqual(['q2']);
    expect(own(await store.list('rejected', 10))).toEqual(['q3']);
    expect(own(await store.list('expired', 10))).toEqual(['q1']);
    expect(ids(await store.list(undefined, 4))).toEqual(['q4', 'q3', 'q2', 'q1']);
    expect(await store.get('q2')).toEqual({
      ...approval('q2', created(2)),
      status: 'approved',
      decidedAt: at(10).toISOString(),
      decidedBy: 'maya',
    });
    expect(await store.get('q3')).toMatchObject({ status: 'rejected', decidedBy: 'li', decisionNote: 'spam' });
    // Filing again returns the stored approval, decided.
    expect(await store.putIfAbsent(approval('q3', created(3)))).toMatchObject({ status: 'rejected', decidedBy: 'li' });

    await store.markDispatched('missing', at(14));
    expect(await store.get('missing')).toBeUndefined();
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

  it('lists newest first whatever the order of recording, up to the limit, and keeps one entry per id', async () => {
    const log = make();
    const entry = (day: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
      id: `e${day}`,
      at: `2026-12-0${day}T10:00:00.000Z`,
      kind: 'action',
      what: 'reply.sent',
      ...extra,
    });
    const detailed = entry(2, {
      eventId: 'generic:e2',
      ruleId: 'reply',
      detail: { platform: 'slack', tags: ['a', 'b'], nested: { n: 1 } },
    });
    await log.record(entry(3));
    await log.record(entry(1));
    await log.record(detailed);
    expect((await log.list(3)).map((kept) => kept.id)).toEqual(['e3', 'e2', 'e1']);
    expect((await log.list(2)).map((kept) => kept.id)).toEqual(['e3', 'e2']);
    expect((await log.list(3))[1]).toEqual(detailed);
    await Promise.all(['ana', 'ben', 'cai'].map((who) => log.record(entry(4, { who }))));
    const newest = await log.list(10);
    expect(newest.filter((kept) => kept.id === 'e4')).toHaveLength(1);
    expect(newest.map((kept) => kept.id).slice(0, 4)).toEqual(['e4', 'e3', 'e2', 'e1']);
  });
}
