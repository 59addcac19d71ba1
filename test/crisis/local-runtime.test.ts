import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../support/api-token.js';
import { errorCollectingLogger } from '../support/logger.js';
import { startLoopback } from '../support/loopback.js';
import { getJson, makeWorkspace, postGeneric, TEST_GENERIC_SECRET, waitFor, waitForQueuesToDrain } from '../support/runtime-process.js';

/**
 * The "done when", through the local runtime (in process, with an injected clock so no test
 * waits for real minutes; the sweep is run when the clock has moved).
 */
const RULES = `
- id: outage-spike
  when: { all: [{ fact: text, operator: containsAny, value: ["outage"] }] }
  volume: { atLeast: 30, within: 10m, quiet: 15m }
  then: [{ escalate: { target: oncall, severity: critical, summary: "Outage reports" } }]
- id: faq-hours
  when: { all: [{ fact: text, operator: containsAny, value: ["opening hours"] }] }
  then: [{ reply: { text: "We are open 9-18." } }]
- id: complaint
  when: { all: [{ fact: text, operator: containsAny, value: ["complaint"] }] }
  then: [{ escalate: { target: team, summary: "A complaint" } }]
- id: unanswered
  when: { all: [{ fact: kind, operator: equal, value: message }, { fact: text, operator: containsAny, value: ["help"] }] }
  after: 10m
  then: [{ escalate: { target: team, summary: "Unanswered for 10 minutes" } }]
- id: refund-answer
  when: { all: [{ fact: text, operator: containsAny, value: ["money back"] }] }
  then: [{ reply: { text: "Your refund is on its way." } }]
`;

interface Action {
  id: string;
  eventId: string;
  ruleId: string;
  type: string;
  status: string;
  mode?: string;
  request?: { url: string; body?: string };
}

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const MINUTE = 60_000;

describe('crisis and SLA through the local runtime', () => {
  let runtime: Runtime;
  let now = T0;
  const pagerduty = startLoopback(() => ({ status: 202, body: '{"status":"success","message":"Event processed"}' }));
  const slack = startLoopback(() => ({ status: 200, body: 'ok' }));
  let seq = 0;
  const errors: string[] = [];
  const post = async (fields: Record<string, unknown>) => {
    const id = String(fields.id ?? `e${seq++}`);
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
  const actions = async () => (await getJson<{ actions: Action[] }>(`${runtime.url}/api/actions?limit=10000`)).actions;
  const idle = () => waitForQueuesToDrain(runtime.url);
  const send = (path: string, body: unknown) =>
    fetch(`${runtime.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...TEST_API_AUTHORIZATION },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    const { dataDir, rulesDir } = makeWorkspace({ 'crisis.yaml': RULES });
    writeFileSync(
      join(dirname(rulesDir), 'foghorn.config.yaml'),
      [
        'targets:',
        `  oncall: { type: pagerduty, routingKey: FOGHORN_PD_KEY, url: "${(await pagerduty).url}/v2/enqueue" }`,
        '  team: { type: slack-webhook, url: FOGHORN_SLACK_TEAM_WEBHOOK }',
        'crisis:',
        '  sensitiveTerms: [refund]',
      ].join('\n'),
    );
    runtime = await startRuntime({
      port: 0,
      dataDir,
      rulesDir,
      logger: errorCollectingLogger(errors),
      settings: settingsFrom({
        FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET,
        FOGHORN_PD_KEY: 'R0UTINGKEY0123456789',
        FOGHORN_SLACK_TEAM_WEBHOOK: `${(await slack).url}/services/T0/B0/SECRETPATH0123`,
        FOGHORN_API_TOKEN: TEST_API_TOKEN,
      }),
      clock: { now: () => new Date(now) },
      crisisSweepEveryMs: 3_600_000,
    });
  }, 60_000);
  afterAll(async () => {
    expect(errors).toEqual([]);
    await runtime?.stop();
    await (await pagerduty).close();
    await (await slack).close();
  });

  it('30 matching events inside 10 minutes page once; the quiet period sends the resolve', async () => {
    now = T0 + 5 * MINUTE;
    for (let batch = 0; batch < 4; batch++)
      await Promise.all(Array.from({ length: 10 }, (_, i) => post({ text: `login outage again ${batch * 10 + i}` })));
    await idle();
    const pages = (await actions()).filter((action) => action.ruleId === 'outage-spike');
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ type: 'escalate', status: 'succeeded', mode: 'live' });
    const trigger = JSON.parse((await pagerduty).received[0]!.body);
    expect(trigger).toMatchObject({
      event_action: 'trigger',
      routing_key: 'R0UTINGKEY0123456789',
      payload: { severity: 'critical', summary: 'Outage reports' },
    });

    now += 14 * MINUTE;
    expect((await runtime.crisis.sweep()).episodesEnded).toBe(0);
    now += 1 * MINUTE;
    expect((await runtime.crisis.sweep()).episodesEnded).toBe(1);
    await waitFor('the resolve', async () => ((await pagerduty).received.length === 2 ? true : undefined));
    const resolve = JSON.parse((await pagerduty).received[1]!.body);
    expect(resolve).toEqual({ routing_key: 'R0UTINGKEY0123456789', dedup_key: trigger.dedup_key, event_action: 'resolve' });
    await runtime.crisis.sweep();
    await idle();
    expect((await pagerduty).received).toHaveLength(2);
  });

  it('in crisis mode an FAQ reply is held and an escalation goes out; approving sends the reply once', async () => {
    now = T0 + 30 * MINUTE;
    expect((await send('/api/crisis/on', { who: 'maya' })).status).toBe(400);
    const on = await send('/api/crisis/on', { who: 'maya', why: 'login outage' });
    expect(await on.json()).toMatchObject({ changed: true, crisis: { on: true, by: 'maya', why: 'login outage' } });

    const faq = await post({ text: 'what are your opening hours?' });
    await post({ text: 'I have a complaint' });
    await idle();
    const held = (await actions()).find((action) => action.eventId === faq);
    expect(held).toMatchObject({ ruleId: 'faq-hours', status: 'held' });
    expect((await slack).received).toHaveLength(1);

    const { approvals } = await getJson<{ approvals: Array<{ id: string; heldBy: string }> }>(`${runtime.url}/api/approvals`);
    expect(approvals).toEqual([expect.objectContaining({ id: held!.id, heldBy: 'crisis' })]);
    expect((await send(`/api/approvals/${held!.id}/approve`, { who: 'maya', note: 'safe to send' })).status).toBe(200);
    expect((await send(`/api/approvals/${held!.id}/approve`, { who: 'li' })).status).toBe(200);
    expect((await send(`/api/approvals/${held!.id}/reject`, { who: 'li', reason: 'too late' })).status).toBe(409);
    await idle();
    const sent = (await actions()).filter((action) => action.eventId === faq && action.status === 'succeeded');
    expect(sent).toEqual([expect.objectContaining({ id: `${held!.id}~approved`, type: 'reply', mode: 'sandbox' })]);
    expect(JSON.parse(sent[0]!.request!.body!)).toMatchObject({ text: 'We are open 9-18.' });

    await send('/api/crisis/off', { who: 'maya', why: 'fixed' });
    const { audit } = await getJson<{ audit: Array<{ what: string; who?: string }> }>(`${runtime.url}/api/audit?limit=1000`);
    const trail = audit.map((entry) => entry.what);
    for (const what of [
      'crisis.on',
      'approval.held',
      'approval.approved',
      'escalate.succeeded',
      'reply.succeeded',
      'crisis.off',
      'spike.opened',
      'spike.ended',
    ])
      expect(trail).toContain(what);
  });

  it('an unanswered message fires its 10-minute timer once at minute 10; one answered at minute 5 never fires', async () => {
    const start = T0 + 60 * MINUTE;
    now = start;
    const lonely = await post({ text: 'help please', thread: { id: 't-lonely' } });
    const answered = await post({ text: 'help me too', thread: { id: 't-answered' } });
    await idle();
    const breaches = async () =>
      (
        await getJson<{ events: Array<{ id: string; kind: string; meta?: { sla?: { eventId: string } } }> }>(
          `${runtime.url}/api/events?limit=10000`,
        )
      ).events.filter((event) => event.kind === 'sla.breached');
    for (let minute = 1; minute <= 9; minute++) {
      now = start + minute * MINUTE;
      if (minute === 5) {
        await post({
          kind: 'reply',
          text: 'on it',
          thread: { id: 't-answered', replyToId: 't-answered' },
          author: { id: 'agent', isSelf: true },
        });
        await idle();
      }
      await runtime.crisis.sweep();
    }
    expect(await breaches()).toEqual([]);
    now = start + 10 * MINUTE;
    expect((await runtime.crisis.sweep()).timersFired).toBe(1);
    for (let minute = 11; minute <= 30; minute++) {
      now = start + minute * MINUTE;
      await runtime.crisis.sweep();
    }
    await idle();
    const fired = await breaches();
    expect(fired.map((event) => event.meta?.sla?.eventId)).toEqual([lonely]);
    const escalations = (await actions()).filter((action) => action.ruleId === 'unanswered');
    expect(escalations).toEqual([expect.objectContaining({ eventId: fired[0]!.id, status: 'succeeded' })]);
    expect(fired.some((event) => event.meta?.sla?.eventId === answered)).toBe(false);
    const linked = await getJson<{ event: { kind: string } }>(`${runtime.url}/api/events/${encodeURIComponent(fired[0]!.id)}`);
    expect(linked.event.kind).toBe('sla.breached');
    expect((await fetch(`${runtime.url}/api/events/generic%3Anope`)).status).toBe(404);
  });

  it('a sensitive term in an outgoing reply holds it', async () => {
    const event = await post({ text: 'I want my money back' });
    await idle();
    expect((await actions()).find((action) => action.eventId === event)).toMatchObject({ status: 'held' });
    const { approvals } = await getJson<{ approvals: Array<{ reason: string; heldBy: string }> }>(`${runtime.url}/api/approvals`);
    expect(approvals[0]).toMatchObject({ heldBy: 'guard', reason: 'the text contains the sensitive term "refund"' });
  });
});
