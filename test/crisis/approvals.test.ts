import { describe, expect, it } from 'vitest';
import { actOn } from '../../functions/core/act.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { EMBEDDED_EVENT_MAX_BYTES, eventBytes, excerptOf } from '../../functions/core/event-excerpt.js';
import { ApprovalStateError, approve, expireApprovals, holdForApproval, reject } from '../../functions/crisis/approvals.js';
import { switchCrisisMode } from '../../functions/crisis/crisis-switch.js';
import { guardedExecutor } from '../../functions/crisis/guarded-executor.js';
import { memoryApprovalStore, memoryAuditLog, memoryCrisisStore, memoryTimerStore } from '../../functions/crisis/memory/index.js';
import { outgoingGuard } from '../../functions/crisis/outgoing-guard.js';
import { makeEvent } from '../support/events.js';
import { memoryActionStore } from './support/memory-action-store.js';

const now = new Date('2026-11-22T10:00:00.000Z');
const clock = { now: () => now };
const reply = (id: string, text = 'We are open 9-18.'): ActionCommand => ({
  id,
  eventId: 'generic:e1',
  ruleId: 'faq-hours',
  index: 0,
  type: 'reply',
  params: { text, lang: 'en' },
  event: makeEvent(),
  createdAt: now.toISOString(),
});

function setup(options: { sensitiveTerms?: string[]; doNotEngage?: string[] } = {}) {
  const sent: ActionCommand[] = [];
  const approvals = memoryApprovalStore();
  const audit = memoryAuditLog();
  const crisis = memoryCrisisStore();
  const queue: ActionCommand[] = [];
  const actions = memoryActionStore();
  const executor = guardedExecutor({
    inner: async (command) => {
      sent.push(command);
      return { status: 'succeeded', mode: 'sandbox' };
    },
    guard: outgoingGuard({ sensitiveTerms: options.sensitiveTerms ?? [], doNotEngage: options.doNotEngage ?? [] }),
    crisis,
    approvals,
    audit,
    timers: memoryTimerStore(),
    expireAfterMs: 3_600_000,
    clock,
  });
  const act = (command: ActionCommand) => actOn(command, { actions, executors: { reply: executor }, clock, leaseMs: 30_000 });
  const approvalDeps = {
    approvals,
    audit,
    expireAfterMs: 3_600_000,
    dispatch: async (command: ActionCommand) => {
      queue.push(command);
    },
  };
  return { sent, approvals, audit, crisis, queue, act, approvalDeps };
}

describe('crisis mode, outgoing guard and approvals', () => {
  it("files a long post's reply with the post's excerpt, and the approved send reads the post whole again", async () => {
    const approvals = memoryApprovalStore();
    const audit = memoryAuditLog();
    const long = makeEvent({ id: 'generic:long', text: 'Где мой заказ? '.repeat(5000) });
    const held = { ...reply('a-long'), eventId: long.id, event: long };
    await holdForApproval(
      { approvals, audit, expireAfterMs: 3_600_000 },
      { id: held.id, reason: 'sensitive', heldBy: 'guard', command: held, eventId: long.id, ruleId: held.ruleId },
      now,
    );
    const filed = await approvals.get(held.id);
    expect(filed?.command?.event).toEqual(excerptOf(long, EMBEDDED_EVENT_MAX_BYTES));
    expect(filed?.command?.event.trimmed).toEqual({ bytes: eventBytes(long) });

    const dispatched: ActionCommand[] = [];
    await approve(
      { approvals, audit, expireAfterMs: 3_600_000, dispatch: async (command) => void dispatched.push(command) },
      held.id,
      'user:maya',
      undefined,
      now,
    );
    const sent: ActionCommand[] = [];
    const events = { get: async (id: string) => (id === long.id ? { event: long } : undefined) };
    const executor = async (command: ActionCommand) => {
      sent.push(command);
      return { status: 'succeeded' as const, mode: 'sandbox' as const };
    };
    expect(
      await actOn(dispatched[0]!, { actions: memoryActionStore(), executors: { reply: executor }, clock, leaseMs: 30_000, events }),
    ).toMatchObject({
      status: 'done',
    });
    expect(sent.map((command) => command.event)).toEqual([long]);
  });

  it('with crisis mode on a reply is held; approving it sends it exactly once', async () => {
    const s = setup();
    await switchCrisisMode(s.crisis, s.audit, { on: true, who: 'maya', why: 'outage' }, now);
    expect(await s.act(reply('act_1'))).toMatchObject({ status: 'done', record: { status: 'held' } });
    expect(s.sent).toEqual([]);
    expect(await s.approvals.list('pending', 10)).toEqual([expect.objectContaining({ id: 'act_1', heldBy: 'crisis' })]);

    await approve(s.approvalDeps, 'act_1', 'maya', 'checked', now);
    await approve(s.approvalDeps, 'act_1', 'maya', 'double click', now);
    for (const command of s.queue) await s.act(command);
    for (const command of s.queue) await s.act(command);
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]!.params.text).toBe('We are open 9-18.');
    expect(s.audit.entries.map((entry) => entry.what)).toEqual(['crisis.on', 'approval.held', 'approval.approved']);
  });

  it('approving twice queues the send once; a dispatch lost to a crash is queued again by the next approve', async () => {
    const s = setup({ sensitiveTerms: ['refund'] });
    await s.act(reply('act_10', 'refund'));
    let failing = true;
    const flaky = {
      ...s.approvalDeps,
      dispatch: async (command: ActionCommand) => {
        if (failing) throw new Error('queue unavailable');
        s.queue.push(command);
      },
    };
    await expect(approve(flaky, 'act_10', 'maya', undefined, now)).rejects.toThrow(/queue unavailable/);
    failing = false;
    await approve(flaky, 'act_10', 'maya', undefined, now);
    await approve(flaky, 'act_10', 'li', undefined, now);
    expect(s.queue.map((command) => command.id)).toEqual(['act_10~approved']);
    for (const command of s.queue) await s.act(command);
    expect(s.sent.map((command) => command.id)).toEqual(['act_10~approved']);
  });

  it('a rule marked as crisis reply goes out in crisis mode', async () => {
    const s = setup();
    await switchCrisisMode(s.crisis, s.audit, { on: true, who: 'maya', why: 'outage' }, now);
    const command = reply('act_2');
    command.params.crisisReply = true;
    await s.act(command);
    expect(s.sent).toHaveLength(1);
  });

  it('a sensitive term holds the reply, matched on normalised whole words in any script', async () => {
    const s = setup({ sensitiveTerms: ['refund', 'بازپرداخت'] });
    await s.act(reply('act_3', 'You will get a REFUND soon'));
    await s.act(reply('act_4', 'درباره‌ی بازپرداخت شما'));
    await s.act(reply('act_5', 'No refunds-talk here: refundable is another word'));
    expect(s.sent.map((command) => command.id)).toEqual(['act_5']);
    const held = await s.approvals.list('pending', 10);
    expect(held.map((approval) => approval.reason).sort()).toEqual([
      'the text contains the sensitive term "refund"',
      'the text contains the sensitive term "بازپرداخت"',
    ]);
  });

  it('a reply to a do-not-engage account is held', async () => {
    const s = setup({ doNotEngage: ['@Sara'] });
    await s.act(reply('act_6'));
    expect(s.sent).toEqual([]);
    expect((await s.approvals.get('act_6'))?.reason).toContain('do-not-engage');
  });

  it('reject needs a reason, is recorded, and a rejected action can never be approved', async () => {
    const s = setup({ sensitiveTerms: ['refund'] });
    await s.act(reply('act_7', 'refund'));
    await expect(reject(s.approvalDeps, 'act_7', 'maya', '', now)).rejects.toThrow(/reason/);
    await reject(s.approvalDeps, 'act_7', 'maya', 'off-brand', now);
    await expect(approve(s.approvalDeps, 'act_7', 'maya', undefined, now)).rejects.toBeInstanceOf(ApprovalStateError);
    expect(s.queue).toEqual([]);
    expect(s.audit.entries.at(-1)).toMatchObject({ what: 'approval.rejected', who: 'maya', why: 'off-brand' });
  });

  it('pending approvals expire after the configured time and cannot be approved afterwards', async () => {
    const s = setup({ sensitiveTerms: ['refund'] });
    await s.act(reply('act_8', 'refund'));
    expect(await expireApprovals(s.approvalDeps, new Date(now.getTime() + 3_599_000))).toBe(0);
    expect(await expireApprovals(s.approvalDeps, new Date(now.getTime() + 3_600_000))).toBe(1);
    await expect(approve(s.approvalDeps, 'act_8', 'maya', undefined, new Date(now.getTime() + 3_700_000))).rejects.toThrow(/expired/);
  });

  it('a forged approved command (naming an approval that is not approved) fails for good', async () => {
    const s = setup();
    const command = reply('act_9');
    command.params.approval = 'act_nope';
    expect(await s.act(command)).toMatchObject({ status: 'dead' });
    expect(s.sent).toEqual([]);
  });
});

describe('crisis switch', () => {
  it('records who, when and why; switching to the same state changes nothing; ending is recorded', async () => {
    const crisis = memoryCrisisStore();
    const audit = memoryAuditLog();
    const on = await switchCrisisMode(crisis, audit, { on: true, who: 'rule:outage', why: 'spike', ruleId: 'outage', eventId: 'e' }, now);
    expect(on).toMatchObject({ changed: true, state: { on: true, by: 'rule:outage', why: 'spike', since: now.toISOString() } });
    expect((await switchCrisisMode(crisis, audit, { on: true, who: 'maya', why: 'again' }, now)).changed).toBe(false);
    await switchCrisisMode(crisis, audit, { on: false, who: 'maya', why: 'fixed' }, now);
    expect(audit.entries.map((entry) => [entry.what, entry.who])).toEqual([
      ['crisis.on', 'rule:outage'],
      ['crisis.off', 'maya'],
    ]);
    await expect(switchCrisisMode(crisis, audit, { on: true, who: '', why: 'x' }, now)).rejects.toThrow(/who/);
  });
});
