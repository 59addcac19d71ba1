import { afterAll, describe, expect, it } from 'vitest';
import { actOn } from '../../functions/core/act.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { LiveSender, SandboxSender } from '../../functions/core/outbound/index.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { escalateExecutor } from '../../functions/escalation/escalate-executor.js';
import { parseTargets } from '../../functions/escalation/target-config.js';
import { memoryActionStore } from '../crisis/support/memory-action-store.js';
import { makeEvent } from '../support/events.js';
import { startLoopback } from '../support/loopback.js';

describe('an escalation through the act path', () => {
  const pdServer = startLoopback((_r, index) =>
    index === 0
      ? { status: 429, headers: { 'retry-after': '1' }, body: '{"status":"throttle event"}' }
      : { status: 202, body: '{"status":"success","dedup_key":"spike:outage:t1"}' },
  );
  afterAll(async () => {
    await (await pdServer).close();
  });

  it('rate-limited, retried, redelivered: PagerDuty sees one incident key and is called once after the limit', async () => {
    const pd = await pdServer;
    const now = new Date('2026-11-22T10:00:00.000Z');
    const targets = parseTargets({ oncall: { type: 'pagerduty', routingKey: 'FOGHORN_PD_KEY', url: pd.url } });
    const escalate = escalateExecutor({
      targets: () => targets,
      settings: settingsFrom({ FOGHORN_PD_KEY: 'R0UTINGKEY0123456789' }),
      live: new LiveSender(),
      sandbox: new SandboxSender(),
      forceSandbox: false,
      clock: { now: () => now },
      foghornBaseUrl: 'http://127.0.0.1:8787',
    });
    const deps = { actions: memoryActionStore(), executors: { escalate }, clock: { now: () => now }, leaseMs: 30_000 };
    const command: ActionCommand = {
      id: 'act_page',
      eventId: 'generic:e1',
      ruleId: 'outage',
      index: 0,
      type: 'escalate',
      createdAt: now.toISOString(),
      params: { target: 'oncall', severity: 'critical', summary: 'Outage', incident: 'spike:outage:t1' },
      event: makeEvent(),
    };

    expect(await actOn(command, deps)).toMatchObject({ status: 'retry', retryAfterMs: 1000 });
    expect(await actOn(command, deps)).toMatchObject({ status: 'done', record: { mode: 'live' } });
    expect(await actOn(command, deps)).toEqual({ status: 'skipped' });
    expect(pd.received).toHaveLength(2);
    expect(new Set(pd.received.map((request) => JSON.parse(request.body).dedup_key))).toEqual(new Set(['spike:outage:t1']));
  });
});
