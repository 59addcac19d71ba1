import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAssignmentConfig } from '../../functions/assignment/config.js';
import { restartUnansweredTimers, startUnansweredTimer } from '../../functions/assignment/unanswered-timer.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { ticketConversation } from '../../functions/crisis/conversation.js';
import type { TimerStore } from '../../functions/crisis/ports.js';
import { startSlaTimer } from '../../functions/crisis/sla-timer.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { DynamoTimerStore } from '../../functions/storage/dynamo/timer-store.js';
import { embeddedCrisisStores } from '../../functions/storage/embedded/crisis-stores.js';
import { EmbeddedDatabase } from '../../functions/storage/embedded/database.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../support/api-token.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { makeEvent } from '../support/events.js';
import { errorCollectingLogger } from '../support/logger.js';
import { startLoopback } from '../support/loopback.js';
import { getJson, makeWorkspace, postGeneric, TEST_GENERIC_SECRET, waitForQueuesToDrain } from '../support/runtime-process.js';

/**
 * A reassignment restarts the unanswered timer, through the local runtime (in process, the embedded store, an injected
 * clock; the sweep is run minute by minute as the clock moves, as test/assignment/local-runtime.test.ts does).
 */
const RULES = `
- id: assign-persian
  when: { all: [{ fact: text, operator: containsAny, value: ["persian"] }] }
  then: [{ assign: { team: persian-desk, unanswered: { after: 30m, escalate: lead } } }]
`;

const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const MINUTE = 60_000;
const LEAD_A = '/services/T0/B0/LEADAAAA0123';
const LEAD_B = '/services/T0/B1/LEADBBBB0123';

describe('reassigning restarts the unanswered timer for the new owner', () => {
  let runtime: Runtime;
  let now = T0;
  const slack = startLoopback(() => ({ status: 200, body: 'ok' }));
  const errors: string[] = [];
  const to = async (path: string) => (await slack).received.filter((request) => request.url === path).map((request) => request.body);
  const post = async (id: string, thread: string) => {
    const response = await postGeneric(runtime.url, {
      kind: 'message',
      author: { id: `a-${id}`, name: 'Ada' },
      channel: { id: 'c1' },
      createdAt: new Date(now).toISOString(),
      text: `persian question ${id}`,
      thread: { id: thread },
      id,
    });
    expect(response.status).toBe(200);
    return `generic:${id}`;
  };
  const idle = () => waitForQueuesToDrain(runtime.url);
  const assign = (eventId: string, body: Record<string, unknown>) =>
    fetch(`${runtime.url}/api/events/${encodeURIComponent(eventId)}/assign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...TEST_API_AUTHORIZATION },
      body: JSON.stringify({ who: 'li', ...body }),
    });
  const sweepThrough = async (fromMinute: number, toMinute: number) => {
    let fired = 0;
    for (let minute = fromMinute; minute <= toMinute; minute++) {
      now = T0 + minute * MINUTE;
      fired += (await runtime.crisis.sweep()).timersFired;
    }
    await idle();
    return fired;
  };

  beforeAll(async () => {
    const { dataDir, rulesDir } = makeWorkspace({ 'assign.yaml': RULES });
    writeFileSync(
      join(dirname(rulesDir), 'foghorn.config.yaml'),
      [
        'timezone: UTC',
        'targets:',
        '  lead-a: { type: slack-webhook, url: FOGHORN_SLACK_LEAD_A }',
        '  lead-b: { type: slack-webhook, url: FOGHORN_SLACK_LEAD_B }',
        'people:',
        '  sara: { name: Sara Ahmadi, notify: lead-a }',
        '  leyla: { name: Leyla Aziz, notify: lead-b }',
        '  reza: { name: Reza Karimi }',
        '  olga: { name: Olga Ivanova }',
        'teams:',
        '  persian-desk: { members: [reza], lead: sara }',
        '  press: { members: [olga], lead: leyla }',
      ].join('\n'),
    );
    const loopback = (await slack).url;
    runtime = await startRuntime({
      port: 0,
      dataDir,
      rulesDir,
      logger: errorCollectingLogger(errors),
      settings: settingsFrom({
        FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET,
        FOGHORN_SLACK_LEAD_A: `${loopback}${LEAD_A}`,
        FOGHORN_SLACK_LEAD_B: `${loopback}${LEAD_B}`,
        FOGHORN_API_TOKEN: TEST_API_TOKEN,
      }),
      clock: { now: () => new Date(now) },
      crisisSweepEveryMs: 3_600_000,
    });
  }, 60_000);
  afterAll(async () => {
    expect(errors).toEqual([]);
    await runtime?.stop();
    await (await slack).close();
  });

  it("counts from the reassignment, escalates to the new team's lead, and the old timer never fires", async () => {
    // Prepare: two conversations of Reza's; only the first is handed to the press team, 20 minutes in.
    const moved = await post('m1', 't1');
    const stayed = await post('m2', 't2');
    await idle();
    for (const id of [moved, stayed])
      expect((await getJson<{ owner: { person?: string } }>(`${runtime.url}/api/events/${encodeURIComponent(id)}`)).owner.person).toBe(
        'reza',
      );
    expect(await sweepThrough(1, 19)).toBe(0);
    now = T0 + 20 * MINUTE;

    // Act
    const answer = await assign(moved, { team: 'press', requestId: 'move-1' });
    const retried = await assign(moved, { team: 'press', requestId: 'move-1' });

    // Assess: the answer names the new timer, due 30 minutes from now, to the press lead; the retry restarts nothing.
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      result: 'assigned',
      owner: { person: 'olga', team: 'press' },
      previous: { person: 'reza', team: 'persian-desk' },
      timers: [{ eventId: moved, dueAt: new Date(T0 + 50 * MINUTE).toISOString(), target: 'lead-b' }],
    });
    expect(await retried.json()).toMatchObject({ result: 'repeated', timers: [] });

    // At 30 minutes only the conversation that stayed escalates, to the Persian desk's lead.
    expect(await sweepThrough(20, 30)).toBe(1);
    expect(await to(LEAD_A)).toHaveLength(1);
    expect((await to(LEAD_A))[0]).toContain('Reza Karimi');
    expect((await to(LEAD_A))[0]).toContain('persian question m2');
    expect(await to(LEAD_B)).toEqual([]);

    // 30 minutes after the reassignment, the moved one escalates to the press lead, naming Olga.
    expect(await sweepThrough(31, 49)).toBe(0);
    expect(await sweepThrough(50, 50)).toBe(1);
    const toPress = await to(LEAD_B);
    expect(toPress).toHaveLength(1);
    expect(toPress[0]).toContain('Olga Ivanova');
    expect(toPress[0]).toContain('team press');
    expect(toPress[0]).toContain('persian question m1');

    // Nothing fires again for either owner.
    expect(await sweepThrough(51, 90)).toBe(0);
    expect(await to(LEAD_A)).toHaveLength(1);
    expect(await to(LEAD_B)).toHaveLength(1);
  });

  it('an answered conversation has no timer to restart', async () => {
    now = T0 + 91 * MINUTE;
    const id = await post('m3', 't3');
    await idle();
    await postGeneric(runtime.url, {
      id: 'answer-m3',
      kind: 'reply',
      text: 'on it',
      channel: { id: 'c1' },
      createdAt: new Date(now + MINUTE).toISOString(),
      thread: { id: 't3', replyToId: 't3' },
      author: { id: 'agent', isSelf: true },
    });
    await idle();
    now = T0 + 95 * MINUTE;
    const answer = await assign(id, { person: 'olga' });
    expect(await answer.json()).toMatchObject({ result: 'assigned', owner: { person: 'olga' }, timers: [] });
    expect(await sweepThrough(96, 140)).toBe(0);
    expect(await to(LEAD_A)).toHaveLength(1);
    expect(await to(LEAD_B)).toHaveLength(1);
  });
});

describe('restarting unanswered timers over both timer stores (lmdb, dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  const folder = mkdtempSync(join(tmpdir(), 'foghorn-unanswered-'));
  let db: EmbeddedDatabase | undefined;
  afterAll(async () => {
    await db?.close();
    rmSync(folder, { recursive: true, force: true });
  });
  const config = parseAssignmentConfig({
    timezone: 'UTC',
    holidays: [],
    targets: { 'lead-a': {}, 'lead-b': {} },
    people: { sara: { notify: 'lead-a' }, leyla: { notify: 'lead-b' }, reza: {}, olga: {}, mina: {} },
    teams: { 'persian-desk': { members: ['reza'], lead: 'sara' }, press: { members: ['olga'], lead: 'leyla' } },
  } as Parameters<typeof parseAssignmentConfig>[0]);
  const unanswered = { after: '30m', afterMs: 30 * MINUTE, escalate: 'lead' };

  const stores: Array<[string, () => TimerStore]> = [
    [
      'embedded',
      () => {
        db ??= EmbeddedDatabase.open({ path: folder });
        return embeddedCrisisStores(db).timers;
      },
    ],
    ['dynamo', () => new DynamoTimerStore({ client: dynamo.current.client, tableName: dynamo.current.tableName })],
  ];

  for (const [name, make] of stores)
    it(`${name}: replaces the assign timer once per change, from now, and leaves a rule's own after timer alone`, async () => {
      // Prepare: Reza's unanswered timer and the rule's own `after` timer, both waiting in the same thread.
      const timers = make();
      const event = makeEvent({ id: `generic:${name}-1`, thread: { id: `${name}-thread` }, createdAt: new Date(T0).toISOString() });
      const conversation = ticketConversation(event);
      const first = await startUnansweredTimer(
        timers,
        { ruleId: 'desk', index: 10_000, event, owner: { person: 'reza', team: 'persian-desk' }, unanswered, target: 'lead-a', config },
        new Date(T0),
      );
      const own = await startSlaTimer(timers, { ruleId: 'desk', after: '1h', afterMs: 60 * MINUTE, event, actions: [] }, new Date(T0));
      const at = new Date(T0 + 20 * MINUTE);

      // Act
      const restarted = await restartUnansweredTimers(
        timers,
        { conversation, owner: { person: 'olga', team: 'press' }, change: 'move-1', config },
        at,
      );
      const again = await restartUnansweredTimers(
        timers,
        { conversation, owner: { person: 'olga', team: 'press' }, change: 'move-1', config },
        at,
      );
      const toMina = await restartUnansweredTimers(timers, { conversation, owner: { person: 'mina' }, change: 'move-2', config }, at);

      // Assess
      expect(restarted).toHaveLength(1);
      expect(restarted[0]?.timer).toMatchObject({
        eventId: event.id,
        dueAt: new Date(T0 + 50 * MINUTE).toISOString(),
        actions: [
          { type: 'escalate', params: { target: 'lead-b', summary: expect.stringContaining('olga (press) has not answered for 30m') } },
        ],
      });
      expect(restarted[0]?.problem).toBeUndefined();
      expect(again).toEqual([]);
      expect((await timers.get(first.id))?.status).toBe('answered');
      // Mina is in no team: no lead to tell, so it still goes to the press lead, and says why.
      expect(toMina).toEqual([
        expect.objectContaining({
          problem: expect.stringContaining('mina is in no team'),
          timer: expect.objectContaining({ actions: [expect.objectContaining({ params: expect.objectContaining({ target: 'lead-b' }) })] }),
        }),
      ]);
      expect((await timers.get(restarted[0]!.timer.id))?.status).toBe('answered');
      const pending = await timers.pendingInConversation(conversation);
      expect(pending.map((timer) => timer.id).sort()).toEqual([own.id, toMina[0]!.timer.id].sort());
    });
});
