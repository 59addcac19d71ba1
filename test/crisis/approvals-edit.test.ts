import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { ApprovalInputError, approve, holdForApproval } from '../../functions/crisis/approvals.js';
import { memoryApprovalStore, memoryAuditLog } from '../../functions/crisis/memory/index.js';
import { makeEvent } from '../support/events.js';

const now = new Date('2026-11-22T10:00:00.000Z');
const command = (type: string, params: Record<string, unknown>): ActionCommand => ({
  id: `act_${type}`,
  eventId: 'generic:e1',
  ruleId: 'apology',
  index: 0,
  type,
  params,
  event: makeEvent(),
  createdAt: now.toISOString(),
});

async function held(type = 'reply', params: Record<string, unknown> = { text: 'We are sorry.', lang: 'en' }) {
  const dispatched: ActionCommand[] = [];
  const deps = {
    approvals: memoryApprovalStore(),
    audit: memoryAuditLog(),
    expireAfterMs: 3_600_000,
    dispatch: async (sent: ActionCommand) => {
      dispatched.push(sent);
    },
  };
  const held = command(type, params);
  await holdForApproval(
    deps,
    { id: held.id, reason: 'apology', heldBy: 'rule', command: held, eventId: held.eventId, ruleId: 'apology' },
    now,
  );
  return { deps, dispatched, id: held.id };
}

describe('approving with edited text', () => {
  it('sends the edited text instead of the held one, once, and audits the edit', async () => {
    // Prepare
    const { deps, dispatched, id } = await held();
    // Act: approved twice (a double click), the second time without the edit
    await approve(deps, id, 'user:maya', undefined, now, 'Sorry, Sara: your refund is on its way.');
    await approve(deps, id, 'user:maya', undefined, now);
    // Assess
    expect(dispatched).toHaveLength(1);
    expect(dispatched[0]).toMatchObject({
      id: `${id}~approved`,
      params: { text: 'Sorry, Sara: your refund is on its way.', lang: 'en', approval: id },
    });
    expect(deps.audit.entries.filter((entry) => entry.what === 'approval.approved')).toEqual([
      expect.objectContaining({ who: 'user:maya', detail: { edited: true, text: 'Sorry, Sara: your refund is on its way.' } }),
    ]);
  });

  it('keeps the held text when no edit is given', async () => {
    const { deps, dispatched, id } = await held();
    await approve(deps, id, 'user:maya', 'fine as it is', now);
    expect(dispatched[0]?.params.text).toBe('We are sorry.');
    expect(deps.audit.entries.find((entry) => entry.what === 'approval.approved')?.detail).toBeUndefined();
  });

  it('refuses an empty edit, and an edit of an action that sends no text, deciding nothing', async () => {
    const reply = await held();
    await expect(approve(reply.deps, reply.id, 'user:maya', undefined, now, '   ')).rejects.toBeInstanceOf(ApprovalInputError);
    const escalation = await held('escalate', { target: 'oncall', summary: 'x' });
    await expect(approve(escalation.deps, escalation.id, 'user:maya', undefined, now, 'new text')).rejects.toThrow('holds no text to edit');
    expect((await reply.deps.approvals.get(reply.id))?.status).toBe('pending');
    expect((await escalation.deps.approvals.get(escalation.id))?.status).toBe('pending');
    expect([...reply.dispatched, ...escalation.dispatched]).toEqual([]);
  });
});
