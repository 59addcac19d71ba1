import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { PermanentActionError } from '../../functions/core/errors.js';
import { auditedExecutor } from '../../functions/crisis/audit.js';
import { memoryAuditLog } from '../../functions/crisis/memory/index.js';
import { makeEvent } from '../support/events.js';

const now = new Date('2026-11-22T10:00:00.000Z');
const clock = { now: () => now };
const command: ActionCommand = {
  id: 'act_a',
  eventId: 'generic:e1',
  ruleId: 'faq',
  index: 0,
  type: 'reply',
  params: { text: 'hi', target: 'ops' },
  event: makeEvent(),
  createdAt: now.toISOString(),
};

describe('auditedExecutor', () => {
  it("returns the audit line with the result, for the action's completion to write: no write of its own", async () => {
    const audit = memoryAuditLog();
    const run = auditedExecutor(
      async () => ({ status: 'succeeded', mode: 'live', externalId: 'm1', effects: { tags: { eventId: 'generic:e1', tags: ['a'] } } }),
      audit,
      clock,
    );
    const result = await run(command);
    expect(audit.entries).toEqual([]);
    expect(result).toEqual({
      status: 'succeeded',
      mode: 'live',
      externalId: 'm1',
      effects: {
        tags: { eventId: 'generic:e1', tags: ['a'] },
        audit: {
          id: 'action:act_a:succeeded',
          at: now.toISOString(),
          kind: 'action',
          what: 'reply.succeeded',
          who: 'rule:faq',
          eventId: 'generic:e1',
          ruleId: 'faq',
          commandId: 'act_a',
          detail: { mode: 'live', externalId: 'm1', target: 'ops' },
        },
      },
    });
  });

  it('records a failure for good itself (its completion carries no effects), and never a transient one', async () => {
    const audit = memoryAuditLog();
    await expect(
      auditedExecutor(
        async () => {
          throw new PermanentActionError('refused by the platform');
        },
        audit,
        clock,
      )(command),
    ).rejects.toThrow('refused by the platform');
    await expect(
      auditedExecutor(
        async () => {
          throw new Error('timeout');
        },
        audit,
        clock,
      )(command),
    ).rejects.toThrow('timeout');
    expect(audit.entries.map((entry) => [entry.id, entry.why])).toEqual([['action:act_a:failed', 'refused by the platform']]);
  });
});
