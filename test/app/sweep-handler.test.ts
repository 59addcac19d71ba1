import { describe, expect, it } from 'vitest';
import { createSweepHandler, SWEEP_MARGIN_MS } from '../../functions/app/sweep-handler.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { memoryApprovalStore, memoryAuditLog, memoryEpisodeStore, memoryTimerStore } from '../../functions/crisis/memory/index.js';
import { startSlaTimer } from '../../functions/crisis/sla-timer.js';
import { runCrisisSweep } from '../../functions/crisis/sweep.js';
import { makeEvent } from '../support/events.js';

describe('the scheduled sweep', () => {
  it('fires due timers, ends quiet episodes with their resolves, expires approvals, and reports the counts', async () => {
    const now = new Date('2026-11-22T10:30:00.000Z');
    const timers = memoryTimerStore();
    const episodes = memoryEpisodeStore();
    const approvals = memoryApprovalStore();
    const audit = memoryAuditLog();
    const emitted: CanonicalEvent[] = [];
    const dispatched: ActionCommand[] = [];
    await startSlaTimer(
      timers,
      { ruleId: 'sla', after: '10m', afterMs: 600_000, event: makeEvent({ createdAt: '2026-11-22T10:00:00.000Z' }), actions: [] },
      new Date('2026-11-22T10:00:00.000Z'),
    );
    await episodes.open({
      ruleId: 'outage',
      incident: 'spike:outage:x',
      status: 'open',
      startedAt: '2026-11-22T10:00:00.000Z',
      lastEventAt: '2026-11-22T10:05:00.000Z',
      count: 31,
      quietMs: 900_000,
      firstEvent: makeEvent(),
      actions: [{ type: 'escalate', ruleId: 'outage', index: 0, params: { target: 'oncall' } }],
    });
    await approvals.putIfAbsent({
      id: 'act_old',
      status: 'pending',
      reason: 'crisis mode',
      heldBy: 'crisis',
      createdAt: '2026-11-21T10:00:00.000Z',
      expiresAt: '2026-11-22T10:00:00.000Z',
    });
    const kit = {
      sweep: () =>
        runCrisisSweep(
          {
            timers,
            episodes,
            approvals,
            audit,
            emit: async (event) => {
              emitted.push(event);
            },
            dispatch: async (commands) => {
              dispatched.push(...commands);
            },
          },
          now,
        ),
    };
    const reports: unknown[] = [];
    const handler = createSweepHandler(kit, (report) => reports.push(report));

    // Without a post store, the sweep publishes and suspends no post.
    const none = { postsPublished: 0, postsSuspended: 0 };
    expect(await handler()).toEqual({ timersFired: 1, outOfTime: false, episodesEnded: 1, approvalsExpired: 1, ...none });
    expect(await handler()).toEqual({ timersFired: 0, outOfTime: false, episodesEnded: 0, approvalsExpired: 0, ...none });
    expect(reports).toHaveLength(2);
    expect(emitted.map((event) => event.kind)).toEqual(['sla.breached']);
    expect(dispatched).toEqual([
      expect.objectContaining({
        type: 'escalate',
        params: expect.objectContaining({ resolve: true, incident: 'spike:outage:x', target: 'oncall' }),
      }),
    ]);
    expect(audit.entries.map((entry) => entry.what)).toEqual(['sla.breached', 'spike.ended', 'approval.expired']);
  });

  it("stops starting work once the Lambda's remaining time is within the margin, leaving it to the next run", async () => {
    const timers = memoryTimerStore();
    const emitted: CanonicalEvent[] = [];
    await startSlaTimer(
      timers,
      { ruleId: 'sla', after: '10m', afterMs: 600_000, event: makeEvent({ createdAt: '2026-11-22T10:00:00.000Z' }), actions: [] },
      new Date('2026-11-22T10:00:00.000Z'),
    );
    const deps = {
      timers,
      episodes: memoryEpisodeStore(),
      approvals: memoryApprovalStore(),
      audit: memoryAuditLog(),
      emit: async (event: CanonicalEvent) => void emitted.push(event),
      dispatch: async () => {},
    };
    const now = new Date('2026-11-22T10:30:00.000Z');
    const handler = createSweepHandler({ sweep: (timeLeftMs) => runCrisisSweep({ ...deps, ...(timeLeftMs ? { timeLeftMs } : {}) }, now) });
    let remaining = SWEEP_MARGIN_MS - 1;
    expect(await handler(undefined, { getRemainingTimeInMillis: () => remaining })).toMatchObject({ timersFired: 0, outOfTime: true });
    expect(emitted).toEqual([]);
    remaining = SWEEP_MARGIN_MS + 60_000;
    expect(await handler(undefined, { getRemainingTimeInMillis: () => remaining })).toMatchObject({ timersFired: 1, outOfTime: false });
    expect(emitted).toHaveLength(1);
  });
});
