import { describe, expect, it } from 'vitest';
import { actOn } from '../../functions/core/act.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { memoryApprovalStore, memoryAuditLog, memoryEpisodeStore, memoryTimerStore } from '../../functions/crisis/memory/index.js';
import type { EpisodeStore } from '../../functions/crisis/ports.js';
import { SWEEP_PARALLELISM, startSlaTimer } from '../../functions/crisis/sla-timer.js';
import { runCrisisSweep } from '../../functions/crisis/sweep.js';
import { makeEvent } from '../support/events.js';
import { memoryActionStore } from './support/memory-action-store.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** The sweep over memory stores, whose dispatch hands each command to act (deduplicating by command id) and counts the sends. */
function harness(episodes: EpisodeStore = memoryEpisodeStore()) {
  const sent: string[] = [];
  const emitted: CanonicalEvent[] = [];
  const act = {
    actions: memoryActionStore(),
    executors: {
      escalate: async (command: ActionCommand) => {
        sent.push(command.id);
        return { status: 'succeeded' as const, mode: 'sandbox' as const };
      },
    },
    clock: { now: () => at(30) },
    leaseMs: 30_000,
  };
  let failDispatch = false;
  const deps = {
    timers: memoryTimerStore(),
    episodes,
    approvals: memoryApprovalStore(),
    audit: memoryAuditLog(),
    emit: async (event: CanonicalEvent) => {
      emitted.push(event);
    },
    dispatch: async (commands: readonly ActionCommand[]) => {
      if (failDispatch) throw new Error('the actions queue is unavailable');
      for (const command of commands) await actOn(command, act);
    },
  };
  return {
    deps,
    sent,
    emitted,
    failNextDispatch: (fail: boolean) => {
      failDispatch = fail;
    },
  };
}

async function openOutage(episodes: EpisodeStore): Promise<void> {
  await episodes.open({
    ruleId: 'outage',
    incident: 'spike:outage:x',
    status: 'open',
    startedAt: at(0).toISOString(),
    lastEventAt: at(5).toISOString(),
    count: 31,
    quietMs: 15 * 60_000,
    firstEvent: makeEvent(),
    actions: [{ type: 'escalate', ruleId: 'outage', index: 0, params: { target: 'oncall', summary: 'Outage' } }],
  });
}

describe('the sweep sends work before it marks it done', () => {
  it('an episode closed by a sweep that stopped before its dispatch is resolved by the next sweep, once', async () => {
    const { deps, sent, failNextDispatch } = harness();
    await openOutage(deps.episodes);
    failNextDispatch(true);
    await expect(runCrisisSweep(deps, at(21))).rejects.toThrow('the actions queue is unavailable');
    expect(await deps.episodes.current('outage')).toMatchObject({ status: 'closed' });
    expect(sent).toEqual([]);

    failNextDispatch(false);
    expect(await runCrisisSweep(deps, at(22))).toMatchObject({ episodesEnded: 1 });
    expect(await runCrisisSweep(deps, at(23))).toMatchObject({ episodesEnded: 0 });
    expect(sent).toHaveLength(1);
    expect(deps.audit.entries.filter((entry) => entry.what === 'spike.ended')).toHaveLength(1);
  });

  it('a sweep that stopped after dispatching but before marking it sends the same command again, and act runs it once', async () => {
    const inner = memoryEpisodeStore();
    let crashes = 1;
    const episodes: EpisodeStore = {
      ...inner,
      dispatched: async (ruleId, incident) => {
        if (crashes-- > 0) throw new Error('the sweep stopped');
        await inner.dispatched(ruleId, incident);
      },
    };
    const { deps, sent } = harness(episodes);
    await openOutage(episodes);
    await expect(runCrisisSweep(deps, at(21))).rejects.toThrow('the sweep stopped');
    expect(sent).toHaveLength(1);

    // The next sweep owes the episode's end: it sends the same command id, which act has already completed.
    expect(await runCrisisSweep(deps, at(22))).toMatchObject({ episodesEnded: 1 });
    expect(sent).toHaveLength(1);
    expect(await runCrisisSweep(deps, at(23))).toMatchObject({ episodesEnded: 0 });
    expect(await episodes.listUndispatched()).toEqual([]);
  });

  it('a timer whose breach was emitted by a sweep that stopped before settling it is emitted again with the same id, never lost', async () => {
    const { deps, emitted } = harness();
    const event = makeEvent({ createdAt: at(0).toISOString() });
    await startSlaTimer(deps.timers, { ruleId: 'sla', after: '10m', afterMs: 600_000, event, actions: [] }, at(0));
    const settle = deps.timers.settle.bind(deps.timers);
    let crashes = 1;
    deps.timers.settle = async (...args) => {
      if (crashes-- > 0) throw new Error('the sweep stopped');
      return settle(...args);
    };
    await expect(runCrisisSweep(deps, at(11))).rejects.toThrow('the sweep stopped');
    expect(await runCrisisSweep(deps, at(12))).toMatchObject({ timersFired: 1 });
    expect(await runCrisisSweep(deps, at(13))).toMatchObject({ timersFired: 0 });
    expect(emitted.map((breach) => breach.id)).toHaveLength(2);
    expect(new Set(emitted.map((breach) => breach.id)).size).toBe(1);
  });

  it("a storm of due timers is fired across runs within each run's time budget, several at once, each exactly once", async () => {
    const { deps, emitted } = harness();
    const storm = 2_000;
    for (let i = 0; i < storm; i++) {
      const event = makeEvent({ id: `generic:storm-${i}`, createdAt: at(0).toISOString(), thread: { id: `t${i}` } });
      await startSlaTimer(deps.timers, { ruleId: 'sla', after: '10m', afterMs: 600_000, event, actions: [] }, at(0));
    }
    let inFlight = 0;
    let widest = 0;
    const emit = deps.emit;
    deps.emit = async (event) => {
      inFlight++;
      widest = Math.max(widest, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      await emit(event);
      inFlight--;
    };
    // Each run may start 700 timers: the clock the budget reads advances one tick per check.
    const runs: Array<{ timersFired: number; outOfTime: boolean }> = [];
    for (let run = 0; run < 5; run++) {
      let ticks = 700;
      const report = await runCrisisSweep({ ...deps, timeLeftMs: () => ticks-- }, at(11 + run));
      runs.push({ timersFired: report.timersFired, outOfTime: report.outOfTime });
    }
    expect(runs.map((run) => run.outOfTime)).toEqual([true, true, false, false, false]);
    expect(runs.reduce((sum, run) => sum + run.timersFired, 0)).toBe(storm);
    expect(new Set(emitted.map((breach) => breach.id)).size).toBe(storm);
    expect(emitted).toHaveLength(storm);
    expect(widest).toBe(SWEEP_PARALLELISM);
  });
});
