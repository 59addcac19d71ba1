import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import type { AnalyticsReport } from '../../functions/analytics/report.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../support/api-token.js';
import { getJson, makeWorkspace, postGeneric, TEST_GENERIC_SECRET, waitFor, waitForQueuesToDrain } from '../support/runtime-process.js';

/**
 * Response-time analytics through the real local runtime (embedded store), with an injected clock: a scripted
 * conversation (a customer at t, the brand's answer in the same thread at t + 7 min) reads back as a first
 * response of 7 minutes, 100 % within the default 10-minute target, on the API, the CLI, and after a restart.
 */
const RULES = `
- id: faq-hours
  when: { all: [{ fact: text, operator: containsAny, value: ["opening hours"] }] }
  then: [{ reply: { text: "We are open 9-18." } }]
- id: unanswered
  when: { all: [{ fact: text, operator: containsAny, value: ["anyone there"] }] }
  after: 10m
  then: [{ tag: [waited] }]
- id: outage
  when: { all: [{ fact: text, operator: containsAny, value: ["outage"] }] }
  volume: { atLeast: 3, within: 10m, quiet: 15m }
  then: [{ tag: [outage] }]
`;

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const MINUTE = 60_000;
const RANGE = 'from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z';

describe('response-time analytics through the local runtime', () => {
  let runtime: Runtime;
  let now = T0;
  let workspace: { dataDir: string; rulesDir: string };
  const errors: string[] = [];
  const start = () =>
    startRuntime({
      port: 0,
      dataDir: workspace.dataDir,
      rulesDir: workspace.rulesDir,
      logger: {
        info() {},
        warn: (message, detail) => errors.push(`${message} ${JSON.stringify(detail)}`),
        error: (message, detail) => errors.push(`${message} ${JSON.stringify(detail)}`),
      },
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET, FOGHORN_API_TOKEN: TEST_API_TOKEN }),
      forceSandbox: true,
      clock: { now: () => new Date(now) },
      crisisSweepEveryMs: 3_600_000,
    });
  const post = async (event: Record<string, unknown>) => {
    const response = await postGeneric(runtime.url, { kind: 'message', createdAt: new Date(now).toISOString(), ...event });
    expect(response.status).toBe(200);
  };
  const analytics = (query: string) => getJson<AnalyticsReport>(`${runtime.url}/api/analytics?${query}`);
  const group = (report: AnalyticsReport, key: string) => report.groups.find((candidate) => candidate.key === key);

  beforeAll(async () => {
    workspace = makeWorkspace({ 'rules.yaml': RULES });
    writeFileSync(join(dirname(workspace.rulesDir), 'foghorn.config.yaml'), 'timezone: UTC\n');
    runtime = await start();
    // The scripted conversation, in channel `web`: the customer at t, the brand's answer in the thread at t + 7 min.
    now = T0;
    await post({
      id: 'ask-1',
      text: 'My order is late, can you help?',
      author: { id: 'sara', name: 'Sara' },
      channel: { id: 'web' },
      lang: 'en',
    });
    await waitForQueuesToDrain(runtime.url);
    now = T0 + 7 * MINUTE;
    await post({
      id: 'answer-1',
      text: 'Sorry Sara, we are on it.',
      author: { id: 'acme', name: 'Acme Support', isSelf: true },
      channel: { id: 'web' },
      thread: { id: 'ask-1', replyToId: 'ask-1' },
      lang: 'en',
    });
    // An automatic answer, in channel `faq`, and a message nobody answers, in channel `help` (its timer runs).
    await post({ id: 'faq-1', text: 'What are your opening hours?', author: { id: 'omid' }, channel: { id: 'faq' }, lang: 'fa' });
    await post({ id: 'wait-1', text: 'Is anyone there?', author: { id: 'kim' }, channel: { id: 'help' }, lang: 'en' });
    await waitForQueuesToDrain(runtime.url);
    await waitFor('the automatic reply', async () => {
      const { actions } = await getJson<{ actions: Array<{ status: string }> }>(`${runtime.url}/api/actions?limit=100`);
      return actions.some((action) => action.status === 'succeeded') ? true : undefined;
    });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
    expect(errors).toEqual([]);
  });

  it('shows the scripted conversation answered in 7 minutes, 100 % within the 10-minute target, by a person', async () => {
    const report = await analytics(`${RANGE}&by=channel`);
    expect(report.responseTarget).toEqual({ text: '10m', seconds: 600 });
    expect(group(report, 'generic:web')).toMatchObject({
      inbound: 1,
      firstResponse: {
        count: 1,
        p50Seconds: 420,
        p90Seconds: 420,
        exact: true,
        withinTarget: 1,
        shareWithinTarget: 1,
        human: 1,
        automated: 0,
      },
      answers: { automated: 0, human: 1 },
    });
    expect(group(report, 'generic:faq')).toMatchObject({
      inbound: 1,
      firstResponse: { count: 1, automated: 1, shareWithinTarget: 1 },
      answers: { automated: 1 },
    });
    expect(group(report, 'generic:help')).toMatchObject({
      inbound: 1,
      firstResponse: { count: 0, p50Seconds: null, shareWithinTarget: null },
    });
    expect(report.totals.inbound).toBe(3);
    expect(report.inboundByHour.find((hour) => hour.hour === '2026-11-22T10:00:00.000Z')).toEqual({
      hour: '2026-11-22T10:00:00.000Z',
      inbound: 3,
      spike: false,
    });
    expect(report.topRules.map((rule) => rule.ruleId).sort()).toEqual(['faq-hours', 'unanswered']);
  });

  it('groups by language and platform', async () => {
    const byLang = await analytics(`${RANGE}&by=lang`);
    expect(byLang.groups.map((entry) => [entry.key, entry.inbound])).toEqual([
      ['en', 2],
      ['fa', 1],
    ]);
    const byPlatform = await analytics(RANGE);
    expect(byPlatform.groups.map((entry) => entry.key)).toEqual(['generic']);
  });

  it('counts the SLA breach of the message nobody answered', async () => {
    now = T0 + 18 * MINUTE;
    await runtime.crisis.sweep();
    await waitForQueuesToDrain(runtime.url);
    const report = await waitFor('the breach to be counted', async () => {
      const read = await analytics(`${RANGE}&by=channel`);
      return read.totals.slaBreaches === 1 ? read : undefined;
    });
    expect(group(report, 'generic:help')?.slaBreaches).toBe(1);
    expect(report.totals.inbound).toBe(3);
  });

  it('marks the hours of a spike episode, from the event that opened it until it went quiet', async () => {
    // Act: three outage reports at 11:00 open an episode; a sweep after 15 quiet minutes ends it.
    now = T0 + 60 * MINUTE;
    for (const id of ['out-1', 'out-2', 'out-3'])
      await post({ id, text: 'Is there an outage?', author: { id: `a-${id}` }, channel: { id: 'status' }, lang: 'en' });
    await waitForQueuesToDrain(runtime.url);
    const open = await analytics(RANGE);
    now = T0 + 80 * MINUTE;
    await runtime.crisis.sweep();
    const ended = await analytics(RANGE);
    // Assess
    expect(open.spikes).toEqual([
      { incident: expect.stringContaining('outage'), ruleId: 'outage', startedAt: '2026-11-22T11:00:00.000Z', endedAt: null },
    ]);
    expect(open.inboundByHour.filter((hour) => hour.spike).map((hour) => hour.hour)).toEqual(
      open.inboundByHour.slice(11).map((hour) => hour.hour),
    );
    expect(ended.spikes).toEqual([{ ...open.spikes[0], endedAt: '2026-11-22T11:20:00.000Z' }]);
    expect(ended.inboundByHour.filter((hour) => hour.spike).map((hour) => hour.hour)).toEqual(['2026-11-22T11:00:00.000Z']);
    expect(ended.topRules).toContainEqual({ ruleId: 'outage', hits: 3 });
  });

  it('answers a bad parameter with 400 naming it', async () => {
    for (const [query, parameter] of [
      ['from=yesterday', 'from'],
      ['to=soon', 'to'],
      ['by=author', 'by'],
      ['from=2026-11-23T00:00:00Z&to=2026-11-22T00:00:00Z', 'from'],
      ['from=365d', 'from'],
    ] as const) {
      const response = await fetch(`${runtime.url}/api/analytics?${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: string; detail: { parameter: string } };
      expect(body.detail.parameter, query).toBe(parameter);
      expect(body.error, query).toContain(parameter);
    }
  });

  it('is the same through `foghorn analytics`, as JSON and as a table', async () => {
    const run = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = {
        out: (line) => out.push(line),
        err: (line) => err.push(line),
        env: { FOGHORN_URL: runtime.url, FOGHORN_API_TOKEN: TEST_API_TOKEN },
        cwd: process.cwd(),
      };
      return { code: await main(args, io), out, err };
    };
    const json = await run(['analytics', '--from', '2026-11-22T00:00:00Z', '--to', '2026-11-23T00:00:00Z', '--by', 'channel', '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out.join('\n')) as AnalyticsReport;
    expect(group(report, 'generic:web')?.firstResponse.p50Seconds).toBe(420);
    const text = await run(['analytics', '--from', '2026-11-22T00:00:00Z', '--to', '2026-11-23T00:00:00Z', '--by', 'channel']);
    expect(text.code).toBe(0);
    expect(text.out[0]).toBe('from 2026-11-22T00:00:00.000Z to 2026-11-23T00:00:00.000Z, by channel; response target 10m');
    const header = text.out.find((line) => line.startsWith('channel'));
    expect(header?.split(/\s{2,}/)).toEqual([
      'channel',
      'inbound',
      'first responses',
      'p50',
      'p90',
      'within target',
      'automated',
      'human',
      'SLA breaches',
    ]);
    expect(text.out.find((line) => line.startsWith('generic:web'))?.split(/\s{2,}/)).toEqual([
      'generic:web',
      '1',
      '1',
      '7m',
      '7m',
      '100%',
      '0',
      '1',
      '0',
    ]);
    expect(text.out.some((line) => /^faq-hours\s+1$/.test(line))).toBe(true);
    const wrong = await run(['analytics', '--by', 'author']);
    expect(wrong.code).toBe(2);
    const refused = await run(['analytics', '--from', 'yesterday']);
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toContain('from must be');
  });

  it('keeps the figures across a restart', async () => {
    await runtime.stop();
    runtime = await start();
    const report = await analytics(`${RANGE}&by=channel`);
    expect(group(report, 'generic:web')?.firstResponse).toMatchObject({ count: 1, p50Seconds: 420, shareWithinTarget: 1 });
    expect(report.totals.inbound).toBe(6);
  });
});

/**
 * The figures by team and by person through the real local runtime: conversations a rule assigns to the Persian
 * desk (round robin: sara, then reza), one reassigned by a person before it is answered, one nobody owns.
 */
describe('response-time analytics by team and by person through the local runtime', () => {
  let runtime: Runtime;
  let now = T0;
  const errors: string[] = [];
  const post = async (id: string, fields: Record<string, unknown>) => {
    const response = await postGeneric(runtime.url, {
      kind: 'message',
      author: { id: `a-${id}`, name: 'Ada' },
      channel: { id: 'desk' },
      createdAt: new Date(now).toISOString(),
      lang: 'fa',
      ...fields,
      id,
    });
    expect(response.status).toBe(200);
    await waitForQueuesToDrain(runtime.url);
  };
  const answer = (id: string, thread: string) =>
    post(id, { text: 'On it.', author: { id: 'acme', name: 'Acme Support', isSelf: true }, thread: { id: thread, replyToId: thread } });
  const analytics = (query: string) => getJson<AnalyticsReport>(`${runtime.url}/api/analytics?${query}`);
  const rows = (report: AnalyticsReport) =>
    report.groups.map((group) => ({
      key: group.key,
      first: group.firstResponse.count,
      p50: group.firstResponse.p50Seconds,
      p90: group.firstResponse.p90Seconds,
      within: group.firstResponse.withinTarget,
    }));

  let workspace: { dataDir: string; rulesDir: string };
  const start = () =>
    startRuntime({
      port: 0,
      dataDir: workspace.dataDir,
      rulesDir: workspace.rulesDir,
      logger: {
        info() {},
        warn: (message, detail) => errors.push(`${message} ${JSON.stringify(detail)}`),
        error: (message, detail) => errors.push(`${message} ${JSON.stringify(detail)}`),
      },
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET, FOGHORN_API_TOKEN: TEST_API_TOKEN }),
      forceSandbox: true,
      clock: { now: () => new Date(now) },
      crisisSweepEveryMs: 3_600_000,
    });

  beforeAll(async () => {
    workspace = makeWorkspace({
      'rules.yaml': `
- id: to-persian-desk
  when: { all: [{ fact: text, operator: containsAny, value: ["persian"] }] }
  then: [{ assign: { team: persian-desk } }]
`,
    });
    writeFileSync(
      join(dirname(workspace.rulesDir), 'foghorn.config.yaml'),
      [
        'timezone: UTC',
        'people:',
        '  sara: { name: Sara Ahmadi }',
        '  reza: { name: Reza Karimi }',
        'teams:',
        '  persian-desk: { members: [sara, reza], strategy: round-robin }',
      ].join('\n'),
    );
    runtime = await start();
    now = T0;
    await post('p1', { text: 'persian please', thread: { id: 't1' } });
    await post('p2', { text: 'persian question', thread: { id: 't2' } });
    await post('u1', { text: 'hello?', thread: { id: 't3' } });
    now = T0 + 3 * MINUTE;
    await answer('a1', 't1');
    now = T0 + 4 * MINUTE;
    // reza had p2; the lead gives it to sara before anyone answers.
    const moved = await fetch(`${runtime.url}/api/events/${encodeURIComponent('generic:p2')}/assign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...TEST_API_AUTHORIZATION },
      body: JSON.stringify({ who: 'lead', person: 'sara' }),
    });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as { previous?: { person?: string } }).previous?.person).toBe('reza');
    now = T0 + 5 * MINUTE;
    await answer('a3', 't3');
    now = T0 + 12 * MINUTE;
    await answer('a2', 't2');
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
    expect(errors).toEqual([]);
  });

  it("counts each first response for whoever owned the conversation when it was answered, the rest as '(unassigned)'", async () => {
    const byPerson = await analytics(`${RANGE}&by=person`);
    expect(byPerson.by).toBe('person');
    expect(rows(byPerson)).toEqual([
      { key: '(unassigned)', first: 1, p50: 300, p90: 300, within: 1 },
      { key: 'sara', first: 2, p50: 180, p90: 720, within: 1 },
    ]);
    expect(byPerson.groups.find((group) => group.key === 'sara')).toMatchObject({ person: 'sara' });
    // Messages in are counted when they arrive, before anyone owns the conversation.
    expect(byPerson.groups.find((group) => group.key === '(unassigned)')?.inbound).toBe(3);
    const byTeam = await analytics(`${RANGE}&by=team`);
    // A person's reassignment to sara names no team (as the assignment shows it): that answer has no team.
    expect(rows(byTeam)).toEqual([
      { key: '(unassigned)', first: 2, p50: 300, p90: 720, within: 1 },
      { key: 'persian-desk', first: 1, p50: 180, p90: 180, within: 1 },
    ]);
    expect(byTeam.totals.firstResponse.count).toBe(3);
  });

  it('is the same through `foghorn analytics --by person`', async () => {
    const out: string[] = [];
    const io: CliIo = {
      out: (line) => out.push(line),
      err: () => {},
      env: { FOGHORN_URL: runtime.url, FOGHORN_API_TOKEN: TEST_API_TOKEN },
      cwd: process.cwd(),
    };
    expect(await main(['analytics', '--from', '2026-11-22T00:00:00Z', '--to', '2026-11-23T00:00:00Z', '--by', 'person'], io)).toBe(0);
    expect(out[0]).toContain('by person');
    expect(out.find((line) => line.startsWith('sara'))?.split(/\s{2,}/)).toEqual(['sara', '0', '2', '3m', '12m', '50%', '0', '0', '0']);
  });

  it('keeps the owners across a restart: an answer after it still counts for the owner', async () => {
    now = T0 + 20 * MINUTE;
    await post('p4', { text: 'persian, after all', thread: { id: 't4' } });
    await runtime.stop();
    runtime = await start();
    now = T0 + 21 * MINUTE;
    await answer('a4', 't4');
    const sara = (await analytics(`${RANGE}&by=person`)).groups.find((group) => group.key === 'sara');
    // Turn 2 of the round robin is sara's again.
    expect(sara?.firstResponse).toMatchObject({ count: 3, withinTarget: 2 });
  });
});
