import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { getJson, makeWorkspace, postGeneric, TEST_GENERIC_SECRET, waitFor } from '../support/runtime-process.js';

const RULE = `
id: unanswered
when: { all: [{ fact: kind, operator: equal, value: message }, { fact: text, operator: containsAny, value: ["help"] }] }
after: 10m
then: [{ escalate: { target: team, summary: "Unanswered for 10 minutes" } }]
`;

const T0 = Date.parse('2026-11-22T10:00:00.000Z');

describe('SLA timers across a restart of the local runtime', () => {
  const workspace = makeWorkspace({ 'sla.yaml': RULE });
  writeFileSync(join(dirname(workspace.rulesDir), 'foghorn.config.yaml'), 'targets:\n  team: { description: "The support team" }\n');
  let now = T0;
  let runtime: Runtime | undefined;
  const start = () =>
    startRuntime({
      port: 0,
      ...workspace,
      logger: { info() {}, warn() {}, error() {} },
      clock: { now: () => new Date(now) },
      crisisSweepEveryMs: 3_600_000,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET }),
    });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('a timer set before the stop fires after the restart, once', async () => {
    runtime = await start();
    const url = runtime.url;
    expect(
      (
        await postGeneric(url, {
          id: 'm1',
          kind: 'message',
          text: 'help!',
          author: { id: 'u1' },
          channel: { id: 'c' },
          thread: { id: 't1' },
          createdAt: new Date(T0).toISOString(),
        })
      ).status,
    ).toBe(200);
    await waitFor('the event to be evaluated', async () => {
      const { actions } = await getJson<{ actions: unknown[] }>(`${url}/api/actions`);
      const health = await getJson<{ queues: Record<string, { total: number }> }>(`${url}/health`);
      return Object.values(health.queues).every((depth) => depth.total === 0) ? actions : undefined;
    });
    await runtime.stop();
    runtime = undefined;

    now = T0 + 12 * 60_000;
    // The sweep at start finds the timer that came due while Foghorn was down; running it again changes nothing.
    runtime = await start();
    await runtime.crisis.sweep();
    const restarted = runtime.url;
    const escalation = await waitFor('the escalation of the breach', async () => {
      const { actions } = await getJson<{ actions: Array<{ ruleId: string; type: string; status: string; eventId: string }> }>(
        `${restarted}/api/actions`,
      );
      return actions.find((action) => action.ruleId === 'unanswered' && action.status === 'succeeded');
    });
    expect(escalation).toMatchObject({ type: 'escalate', eventId: expect.stringMatching(/^generic:sla-breached:/) });
    now += 5 * 60_000;
    expect((await runtime.crisis.sweep()).timersFired).toBe(0);
    const { events } = await getJson<{ events: Array<{ kind: string }> }>(`${restarted}/api/events`);
    expect(events.filter((event) => event.kind === 'sla.breached')).toHaveLength(1);
  }, 60_000);
});
