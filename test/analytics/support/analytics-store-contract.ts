import { expect, it } from 'vitest';
import { RESPONSE_TIMES_PER_BUCKET } from '../../../functions/analytics/figures.js';
import { type AnalyticsStore, CLOCK_RETENTION_MS, type ClockStart, type ClockStop } from '../../../functions/analytics/ports.js';

/**
 * What every AnalyticsStore must do, run against the in-memory store, the embedded one (lmdb) and the DynamoDB one
 * (dynalite). Each test uses its own hours and conversations, so the stores can be shared within a suite.
 */
export function analyticsStoreContract(make: () => AnalyticsStore): void {
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  let day = 0;
  /** A fresh day per test, so no test sees another's buckets. */
  const freshDay = () => Date.parse('2026-03-01T00:00:00.000Z') + day++ * 24 * HOUR;
  const dims = { platform: 'generic', channel: 'web', lang: 'en' };
  const hour = (at: number) => new Date(Math.floor(at / HOUR) * HOUR).toISOString();
  const start = (conversation: string, at: number, extra: Partial<ClockStart> = {}): ClockStart => ({
    conversation,
    messageId: `generic:${conversation}-${at}`,
    at,
    ...dims,
    ...extra,
  });
  const stop = (conversations: string[], at: number, extra: Partial<ClockStop> = {}): ClockStop => ({
    conversations,
    at,
    by: 'human',
    targetMs: 10 * MINUTE,
    ...extra,
  });
  /** A stop as the recorder makes it: whatever the store hands back is added. */
  const stopAndAdd = async (store: AnalyticsStore, clockStop: ClockStop) => store.add(await store.stopClocks(clockStop));
  const responses = async (store: AnalyticsStore, from: number) =>
    (await store.read(new Date(from), new Date(from + 24 * HOUR))).flatMap((bucket) => bucket.responseMs).sort((a, b) => a - b);

  it('adds deltas to their buckets and reads the hours from from to to', async () => {
    // Prepare
    const store = make();
    const t = freshDay();
    // Act
    await store.add([
      { hour: hour(t), ...dims, inbound: 2, answersAutomated: 1, ruleHits: { faq: 1 } },
      { hour: hour(t), ...dims, lang: 'fa', inbound: 1 },
      { hour: hour(t + HOUR), ...dims, inbound: 5, slaBreaches: 1 },
    ]);
    await store.add([{ hour: hour(t), ...dims, inbound: 1, answersHuman: 2, ruleHits: { faq: 2, outage: 1 } }]);
    // Assess
    const first = await store.read(new Date(t), new Date(t + HOUR));
    expect(first.map((bucket) => [bucket.hour, bucket.lang, bucket.inbound]).sort()).toEqual([
      [hour(t), 'en', 3],
      [hour(t), 'fa', 1],
    ]);
    const en = first.find((bucket) => bucket.lang === 'en')!;
    expect(en).toMatchObject({ answersAutomated: 1, answersHuman: 2, ruleHits: { faq: 3, outage: 1 }, slaBreaches: 0, responseMs: [] });
    const both = await store.read(new Date(t), new Date(t + 2 * HOUR));
    expect(both.reduce((sum, bucket) => sum + bucket.inbound, 0)).toBe(9);
    expect(both.reduce((sum, bucket) => sum + bucket.slaBreaches, 0)).toBe(1);
    // A `to` inside an hour still includes that hour; the hour of `to` itself is excluded when `to` is on the hour.
    expect((await store.read(new Date(t + HOUR), new Date(t + HOUR + 1))).map((bucket) => bucket.inbound)).toEqual([5]);
    expect(await store.read(new Date(t + 2 * HOUR), new Date(t + 3 * HOUR))).toEqual([]);
  });

  it('keeps spike marks, and first-response times exactly up to the cap, then only in the histogram', async () => {
    // Prepare
    const store = make();
    const t = freshDay();
    const batch = Array.from({ length: 100 }, (_, i) => 1_000 * (i + 1));
    // Act
    for (let i = 0; i < RESPONSE_TIMES_PER_BUCKET / 100 + 1; i++)
      await store.add([{ hour: hour(t), ...dims, firstHuman: 100, responseMs: batch }]);
    await store.add([
      { hour: hour(t), ...dims, spikes: [{ incident: 'spike:outage:1', ruleId: 'outage', at: new Date(t).toISOString(), edge: 'opened' }] },
    ]);
    // Assess
    const [bucket] = await store.read(new Date(t), new Date(t + HOUR));
    expect(bucket!.firstHuman).toBe(RESPONSE_TIMES_PER_BUCKET + 100);
    expect(bucket!.responseMs).toHaveLength(RESPONSE_TIMES_PER_BUCKET);
    expect(Object.values(bucket!.histogram).reduce((sum, n) => sum + n, 0)).toBe(RESPONSE_TIMES_PER_BUCKET + 100);
    expect(bucket!.spikes).toEqual([{ incident: 'spike:outage:1', ruleId: 'outage', at: new Date(t).toISOString(), edge: 'opened' }]);
  });

  it("measures a first response from the message to the answer, in the message's bucket, against the target", async () => {
    // Prepare
    const store = make();
    const t = freshDay() + 50 * MINUTE;
    await store.startClock(start('c-measure', t, { lang: 'fa' }));
    await store.startClock(start('c-late', t));
    // Act: the first answer is in the next hour, 7 minutes on; the second 12 minutes on, past the target.
    await stopAndAdd(store, stop(['c-measure'], t + 7 * MINUTE, { by: 'automated' }));
    await stopAndAdd(store, stop(['c-late'], t + 12 * MINUTE));
    // Assess
    const buckets = await store.read(new Date(t), new Date(t + 2 * HOUR));
    const fa = buckets.find((bucket) => bucket.lang === 'fa')!;
    expect(fa).toMatchObject({ hour: hour(t), firstAutomated: 1, firstHuman: 0, withinTarget: 1, responseMs: [7 * MINUTE] });
    const en = buckets.find((bucket) => bucket.lang === 'en')!;
    expect(en).toMatchObject({ hour: hour(t), firstAutomated: 0, firstHuman: 1, withinTarget: 0, responseMs: [12 * MINUTE] });
  });

  it('keeps the first message of a waiting conversation, and starts again after an answer', async () => {
    // Prepare
    const store = make();
    const t = freshDay();
    // Act
    await store.startClock(start('c-again', t));
    await store.startClock(start('c-again', t + 2 * MINUTE));
    await stopAndAdd(store, stop(['c-again'], t + 5 * MINUTE));
    await stopAndAdd(store, stop(['c-again'], t + 6 * MINUTE));
    await store.startClock(start('c-again', t + 10 * MINUTE));
    await stopAndAdd(store, stop(['c-again'], t + 11 * MINUTE));
    // Assess: 5 min from the first message; the second answer measured nothing; the next message 1 min.
    expect(await responses(store, t)).toEqual([MINUTE, 5 * MINUTE]);
  });

  it('never starts a clock for a message an answer processed earlier already answered, nor stops one with an older answer', async () => {
    // Prepare
    const store = make();
    const t = freshDay();
    // Act: the answer (t + 7) is processed before the message it answers (t).
    await stopAndAdd(store, stop(['c-order'], t + 7 * MINUTE));
    await store.startClock(start('c-order', t));
    await stopAndAdd(store, stop(['c-order'], t + 30 * MINUTE));
    // A message after that answer waits; an answer written before it does not stop its clock.
    await store.startClock(start('c-order', t + 40 * MINUTE));
    await stopAndAdd(store, stop(['c-order'], t + 35 * MINUTE));
    await stopAndAdd(store, stop(['c-order'], t + 43 * MINUTE));
    // Assess
    expect(await responses(store, t)).toEqual([3 * MINUTE]);
  });

  it('measures each running clock an answer reaches once, however many answers race', async () => {
    // Prepare
    const store = make();
    const t = freshDay();
    await store.startClock(start('c-race-thread', t));
    await store.startClock(start('c-race-dm', t + MINUTE));
    // Act
    await Promise.all(
      Array.from({ length: 5 }, () => stopAndAdd(store, stop(['c-race-thread', 'c-race-dm', 'c-race-dm', 'c-race-none'], t + 4 * MINUTE))),
    );
    // Assess
    expect(await responses(store, t)).toEqual([3 * MINUTE, 4 * MINUTE]);
  });

  it('forgets a clock nobody answered within the retention', async () => {
    // Prepare
    const store = make();
    const t = freshDay();
    await store.startClock(start('c-old', t));
    // Act
    await stopAndAdd(store, stop(['c-old'], t + CLOCK_RETENTION_MS + HOUR));
    await store.startClock(start('c-old', t + CLOCK_RETENTION_MS + 2 * HOUR));
    await stopAndAdd(store, stop(['c-old'], t + CLOCK_RETENTION_MS + 2 * HOUR + MINUTE));
    // Assess: only the new message's response.
    expect(await responses(store, t)).toEqual([]);
    expect(await responses(store, t + CLOCK_RETENTION_MS + 2 * HOUR - 2 * HOUR)).toEqual([MINUTE]);
  });
}

/** The owners an AnalyticsStore notes beside its clocks, for the figures by team and by person. */
export function analyticsOwnerContract(make: () => AnalyticsStore): void {
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  let day = 0;
  const freshDay = () => Date.parse('2026-05-01T00:00:00.000Z') + day++ * 24 * HOUR;
  const dims = { platform: 'generic', channel: 'web', lang: 'en' };
  const start = (conversation: string, at: number): ClockStart => ({
    conversation,
    messageId: `generic:${conversation}-${at}`,
    at,
    ...dims,
  });
  const stop = (conversations: string[], at: number, extra: Partial<ClockStop> = {}): ClockStop => ({
    conversations,
    at,
    by: 'human',
    targetMs: 10 * MINUTE,
    ...extra,
  });
  const stopAndAdd = async (store: AnalyticsStore, clockStop: ClockStop) => store.add(await store.stopClocks(clockStop));
  /** Each bucket's owner with its first responses and times, sorted. */
  const owned = async (store: AnalyticsStore, from: number) =>
    (await store.read(new Date(from), new Date(from + 24 * HOUR)))
      .filter((bucket) => bucket.firstHuman + bucket.firstAutomated > 0)
      .map((bucket) => ({
        person: bucket.person ?? null,
        team: bucket.team ?? null,
        first: bucket.firstHuman + bucket.firstAutomated,
        times: [...bucket.responseMs].sort((a, b) => a - b),
      }))
      .sort((a, b) => `${a.person}/${a.team}`.localeCompare(`${b.person}/${b.team}`));

  it('counts a first response for the person and team owning the conversation when it is answered', async () => {
    // Prepare: sara of the Persian desk owns one conversation, nobody the other.
    const store = make();
    const t = freshDay();
    await store.startClock(start('o-sara', t));
    await store.startClock(start('o-nobody', t));
    await store.ownerChanged({ conversation: 'o-sara', person: 'sara', team: 'persian-desk', since: t + MINUTE });
    // Act
    await stopAndAdd(store, stop(['o-sara'], t + 4 * MINUTE));
    await stopAndAdd(store, stop(['o-nobody'], t + 6 * MINUTE));
    // Assess
    expect(await owned(store, t)).toEqual([
      { person: null, team: null, first: 1, times: [6 * MINUTE] },
      { person: 'sara', team: 'persian-desk', first: 1, times: [4 * MINUTE] },
    ]);
  });

  it('counts it for whoever owned it when it was answered: a reassignment before the answer moves it, one after does not', async () => {
    // Prepare
    const store = make();
    const t = freshDay();
    await store.ownerChanged({ conversation: 'o-moved', person: 'sara', team: 'persian-desk', since: t });
    await store.startClock(start('o-moved', t + MINUTE));
    // Act: reassigned to reza (no team) before the answer, then to leyla after it.
    await store.ownerChanged({ conversation: 'o-moved', person: 'reza', since: t + 2 * MINUTE });
    await stopAndAdd(store, stop(['o-moved'], t + 3 * MINUTE));
    await store.ownerChanged({ conversation: 'o-moved', person: 'leyla', since: t + 5 * MINUTE });
    // A replayed older assignment changes nothing: the next message's answer is leyla's.
    await store.ownerChanged({ conversation: 'o-moved', person: 'sara', team: 'persian-desk', since: t });
    await store.startClock(start('o-moved', t + 10 * MINUTE));
    await stopAndAdd(store, stop(['o-moved'], t + 11 * MINUTE, { by: 'automated' }));
    // Assess
    expect(await owned(store, t)).toEqual([
      { person: 'leyla', team: null, first: 1, times: [MINUTE] },
      { person: 'reza', team: null, first: 1, times: [2 * MINUTE] },
    ]);
  });

  it("finds the owner on any conversation the answer reaches (a direct message's thread), and a team with no person", async () => {
    // Prepare: the clock runs in the DM channel, the assignment is kept under the thread.
    const store = make();
    const t = freshDay();
    await store.startClock(start('o-dm|*dm', t));
    await store.ownerChanged({ conversation: 'o-dm|thread', team: 'vk-desk', since: t + MINUTE });
    // Act
    await stopAndAdd(store, stop(['o-dm|*dm', 'o-dm|thread'], t + 8 * MINUTE));
    // Assess
    expect(await owned(store, t)).toEqual([{ person: null, team: 'vk-desk', first: 1, times: [8 * MINUTE] }]);
  });
}
