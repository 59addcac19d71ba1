import { describe, expect, it } from 'vitest';
import { actOn } from '../../functions/core/act.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { approve } from '../../functions/crisis/approvals.js';
import { auditedExecutor } from '../../functions/crisis/audit.js';
import { crisisExecutor, ruleHoldExecutor } from '../../functions/crisis/executors.js';
import { guardedExecutor } from '../../functions/crisis/guarded-executor.js';
import { memoryApprovalStore, memoryAuditLog, memoryCrisisStore, memoryTimerStore } from '../../functions/crisis/memory/index.js';
import { outgoingGuard } from '../../functions/crisis/outgoing-guard.js';
import { startSlaTimer } from '../../functions/crisis/sla-timer.js';
import { makeEvent } from '../support/events.js';
import { memoryActionStore } from './support/memory-action-store.js';

const now = new Date('2026-11-22T10:00:00.000Z');
const clock = { now: () => now };
const base = (fields: Partial<ActionCommand>): ActionCommand => ({
  id: 'act_h',
  eventId: 'generic:e1',
  ruleId: 'r',
  index: 0,
  type: 'hold',
  params: {},
  event: makeEvent({ thread: { id: 't1' } }),
  createdAt: now.toISOString(),
  ...fields,
});

describe('crisis executors', () => {
  it("a rule's hold parks its reply; approving sends that reply once, audited, and it answers the SLA timer", async () => {
    const approvals = memoryApprovalStore();
    const audit = memoryAuditLog();
    const timers = memoryTimerStore();
    const sent: ActionCommand[] = [];
    const reply = guardedExecutor({
      inner: async (command) => {
        sent.push(command);
        return { status: 'succeeded', mode: 'sandbox' };
      },
      guard: outgoingGuard({ sensitiveTerms: [], doNotEngage: [] }),
      crisis: memoryCrisisStore(),
      approvals,
      audit,
      timers,
      expireAfterMs: 60_000,
      clock,
    });
    const hold = ruleHoldExecutor({ approvals, audit, expireAfterMs: 60_000, clock });
    const executors = { hold: auditedExecutor(hold, audit, clock), reply: auditedExecutor(reply, audit, clock) };
    const deps = { actions: memoryActionStore({ audit }), executors, clock, leaseMs: 1000 };
    const timer = await startSlaTimer(
      timers,
      {
        ruleId: 'sla',
        after: '10m',
        afterMs: 600_000,
        event: makeEvent({ thread: { id: 't1' }, createdAt: now.toISOString() }),
        actions: [],
      },
      now,
    );

    await actOn(base({ params: { reason: 'angry customer', action: { type: 'reply', text: 'Sorry!', lang: 'en' } } }), deps);
    expect(await approvals.get('act_h')).toMatchObject({
      status: 'pending',
      heldBy: 'rule',
      reason: 'angry customer',
      command: { type: 'reply', params: { text: 'Sorry!', lang: 'en' } },
    });
    const queued: ActionCommand[] = [];
    await approve(
      {
        approvals,
        audit,
        expireAfterMs: 60_000,
        dispatch: async (command) => {
          queued.push(command);
        },
      },
      'act_h',
      'maya',
      undefined,
      now,
    );
    for (const command of [...queued, ...queued]) await actOn(command, deps);
    expect(sent.map((command) => [command.type, command.params.text])).toEqual([['reply', 'Sorry!']]);
    expect((await timers.get(timer.id))?.status).toBe('answered');
    expect(audit.entries.map((entry) => entry.what)).toEqual(['approval.held', 'hold.held', 'approval.approved', 'reply.succeeded']);
  });

  it('crisis: on from a rule switches the mode with the rule as who; a bad state fails for good', async () => {
    const crisis = memoryCrisisStore();
    const audit = memoryAuditLog();
    const run = crisisExecutor({ crisis, audit, clock });
    await run(base({ type: 'crisis', ruleId: 'outage-spike', params: { state: 'on' } }));
    expect(await crisis.get()).toMatchObject({ on: true, by: 'rule:outage-spike', why: 'rule outage-spike matched event generic:e1' });
    expect(audit.entries[0]).toMatchObject({ what: 'crisis.on', ruleId: 'outage-spike', eventId: 'generic:e1' });
    await expect(run(base({ type: 'crisis', params: { state: 'maybe' } }))).rejects.toThrow(/'on' or 'off'/);
  });
});
