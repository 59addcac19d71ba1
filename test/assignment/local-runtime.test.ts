import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../support/api-token.js';
import { errorCollectingLogger } from '../support/logger.js';
import { startLoopback } from '../support/loopback.js';
import { getJson, makeWorkspace, postGeneric, TEST_GENERIC_SECRET, waitForQueuesToDrain } from '../support/runtime-process.js';

/**
 * Assignment inside the team through the local runtime (in process, the embedded store, an injected clock; the sweep
 * is run when the clock has moved, as test/crisis/local-runtime.test.ts does for the `after` timer).
 */
const RULES = `
- id: assign-persian
  when: { all: [{ fact: text, operator: containsAny, value: ["persian"] }] }
  then: [{ assign: { team: persian-desk, unanswered: { after: 30m, escalate: lead } } }]
`;

interface Owner {
  person?: string;
  team?: string;
  since: string;
  by: string;
  open: boolean;
  why: string;
}

// A Monday, 10:00 UTC: 13:30 in Tehran, where Sara works Saturdays and Sundays only.
const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const MINUTE = 60_000;

describe('assignment through the local runtime', () => {
  let runtime: Runtime;
  let now = T0;
  const slack = startLoopback(() => ({ status: 200, body: 'ok' }));
  const errors: string[] = [];
  const post = async (id: string, fields: Record<string, unknown>) => {
    const response = await postGeneric(runtime.url, {
      kind: 'message',
      author: { id: `a-${id}`, name: 'Ada' },
      channel: { id: 'c1' },
      createdAt: new Date(now).toISOString(),
      ...fields,
      id,
    });
    expect(response.status).toBe(200);
    return `generic:${id}`;
  };
  const idle = () => waitForQueuesToDrain(runtime.url);
  const send = (path: string, body: unknown) =>
    fetch(`${runtime.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...TEST_API_AUTHORIZATION },
      body: JSON.stringify(body),
    });
  const ownerOf = async (eventId: string) =>
    (await getJson<{ owner: Owner | null }>(`${runtime.url}/api/events/${encodeURIComponent(eventId)}`)).owner;
  const listed = async (query: string) =>
    (await getJson<{ events: Array<{ id: string; owner?: Owner }> }>(`${runtime.url}/api/events?${query}`)).events;

  beforeAll(async () => {
    const { dataDir, rulesDir } = makeWorkspace({ 'assign.yaml': RULES });
    writeFileSync(
      join(dirname(rulesDir), 'foghorn.config.yaml'),
      [
        'timezone: UTC',
        'targets:',
        '  desk-lead: { type: slack-webhook, url: FOGHORN_SLACK_LEAD_WEBHOOK }',
        'people:',
        '  sara: { name: Sara Ahmadi, user: sara, hours: { timezone: Asia/Tehran, sat: "09:00-17:00", sun: "09:00-17:00" }, notify: desk-lead }',
        '  reza: { name: Reza Karimi, hours: { mon: "09:00-18:00" } }',
        '  mina: { name: Mina Rad }',
        'teams:',
        '  persian-desk: { members: [sara, reza, mina], lead: sara, strategy: round-robin }',
      ].join('\n'),
    );
    runtime = await startRuntime({
      port: 0,
      dataDir,
      rulesDir,
      logger: errorCollectingLogger(errors),
      settings: settingsFrom({
        FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET,
        FOGHORN_SLACK_LEAD_WEBHOOK: `${(await slack).url}/services/T0/B0/LEADPATH0123`,
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

  let first = '';
  let second = '';
  let third = '';

  it('round robin over the team skips the person outside their hours, and the owner is shown and filtered', async () => {
    first = await post('p1', { text: 'persian support please', thread: { id: 't1' } });
    await idle();
    second = await post('p2', { text: 'persian question', thread: { id: 't2' } });
    await idle();
    third = await post('p3', { text: 'persian again', thread: { id: 't3' } });
    await idle();
    // Turns 0, 1, 2 fall on sara (off: skipped to reza), reza, mina.
    expect((await ownerOf(first))?.person).toBe('reza');
    expect((await ownerOf(second))?.person).toBe('reza');
    expect(await ownerOf(third)).toMatchObject({ person: 'mina', team: 'persian-desk', by: 'rule:assign-persian', open: true });
    expect((await ownerOf(first))?.why).toMatch(/outside their hours: sara/);

    expect((await listed('owner=reza')).map((event) => event.id).sort()).toEqual([first, second].sort());
    expect((await listed('owner=mina')).map((event) => event.id)).toEqual([third]);
    expect(await listed('owner=sara')).toEqual([]);
    expect((await listed('team=persian-desk')).map((event) => event.owner?.person).sort()).toEqual(['mina', 'reza', 'reza']);
    expect((await fetch(`${runtime.url}/api/events?owner=${encodeURIComponent('no one')}`)).status).toBe(400);

    const { teams } = await getJson<{
      teams: Array<{ id: string; name: string; members: Array<{ id: string; open: number; inHours: boolean }> }>;
    }>(`${runtime.url}/api/teams`);
    expect(teams[0]?.name).toBe('persian-desk');
    expect(teams[0]?.members).toEqual([
      expect.objectContaining({ id: 'sara', open: 0, inHours: false }),
      expect.objectContaining({ id: 'reza', open: 2, inHours: true }),
      expect.objectContaining({ id: 'mina', open: 1, inHours: true }),
    ]);
  });

  it('a reassignment by a person is audited with who, from, to and why', async () => {
    expect(
      (await send(`/api/events/${encodeURIComponent(third)}/assign`, { who: 'li', person: 'sara', team: 'persian-desk' })).status,
    ).toBe(400);
    expect((await send(`/api/events/${encodeURIComponent(third)}/assign`, { who: 'li', person: 'sarah' })).status).toBe(400);
    expect((await send('/api/events/generic%3Anope/assign', { who: 'li', person: 'sara' })).status).toBe(404);
    const moved = await send(`/api/events/${encodeURIComponent(third)}/assign`, {
      who: 'li',
      person: 'sara',
      note: 'she knows this customer',
    });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ result: 'assigned', owner: { person: 'sara' }, previous: { person: 'mina' } });
    expect(await ownerOf(third)).toMatchObject({ person: 'sara', by: 'user:li', open: true });

    const { audit } = await getJson<{ audit: Array<{ what: string; who?: string; why?: string; detail?: Record<string, unknown> }> }>(
      `${runtime.url}/api/audit?limit=1000`,
    );
    const reassigned = audit.filter((entry) => entry.what === 'assignment.reassigned');
    expect(reassigned).toEqual([
      expect.objectContaining({
        who: 'user:li',
        why: expect.stringContaining('she knows this customer'),
        detail: expect.objectContaining({
          from: expect.objectContaining({ person: 'mina' }),
          to: expect.objectContaining({ person: 'sara' }),
        }),
      }),
    ]);
    expect(audit.filter((entry) => entry.what === 'assignment.assigned')).toHaveLength(3);
  });

  it("an unanswered owner escalates to the team lead's target after the timer; answered conversations do not", async () => {
    now = T0 + 5 * MINUTE;
    for (const thread of ['t2', 't3'])
      await post(`answer-${thread}`, {
        kind: 'reply',
        text: 'on it',
        thread: { id: thread, replyToId: thread },
        author: { id: 'agent', isSelf: true },
      });
    await idle();
    expect((await ownerOf(second))?.open).toBe(false);
    for (let minute = 6; minute < 30; minute++) {
      now = T0 + minute * MINUTE;
      await runtime.crisis.sweep();
    }
    await idle();
    expect((await slack).received).toHaveLength(0);
    now = T0 + 30 * MINUTE;
    expect((await runtime.crisis.sweep()).timersFired).toBe(1);
    await idle();
    const received = (await slack).received;
    expect(received).toHaveLength(1);
    const text = JSON.stringify(JSON.parse(received[0]!.body));
    expect(text).toContain('Reza Karimi');
    expect(text).toContain('persian-desk');
    expect(text).toContain('30m');
    for (let minute = 31; minute <= 40; minute++) {
      now = T0 + minute * MINUTE;
      await runtime.crisis.sweep();
    }
    await idle();
    expect((await slack).received).toHaveLength(1);
  });

  it('GET /api/me names the caller and their teams', async () => {
    const response = await fetch(`${runtime.url}/api/me`, { headers: TEST_API_AUTHORIZATION });
    expect(await response.json()).toEqual({ name: 'token', user: 'token', role: 'admin', teams: [] });
  });
});
