import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { EmbeddedActionStore } from '../../../functions/storage/embedded/action-store.js';
import { EmbeddedAuditLog } from '../../../functions/storage/embedded/audit-log.js';
import { EmbeddedDecisionStore } from '../../../functions/storage/embedded/decision-store.js';
import { EmbeddedEventStore } from '../../../functions/storage/embedded/event-store.js';
import { makeEvent } from '../../support/events.js';
import { useEmbeddedDatabase } from '../contracts/use-embedded-database.js';

describe('the embedded core stores, one webhook through an auto-reply', () => {
  const db = useEmbeddedDatabase();

  it('take four writes and no reads: the event with its payload, the decision with its commands, the claim, the completion', async () => {
    const database = db.current;
    const events = new EmbeddedEventStore({ database, outbox: (tx, event) => tx.put(`queue/events/${event.id}`, event.id) });
    const decisions = new EmbeddedDecisionStore({
      database,
      outbox: (tx, commands) => {
        for (const command of commands) tx.put(`queue/actions/${command.id}`, command.id);
      },
    });
    const actions = new EmbeddedActionStore({ database });
    const event = makeEvent({ id: 'generic:webhook-1', raw: { ref: 'event#generic:webhook-1' } });
    const command: ActionCommand = {
      id: 'generic:webhook-1#faq#0',
      eventId: event.id,
      ruleId: 'faq',
      index: 0,
      type: 'reply',
      params: { text: 'we open at nine' },
      event,
      createdAt: event.receivedAt,
    };
    const now = new Date('2026-11-22T10:00:03.000Z');
    const before = { ...database.stats };

    await events.putIfAbsent(event, { platform: 'generic', body: Buffer.from('{"text":"hours?"}'), receivedAt: now });
    await decisions.putIfAbsent({ eventId: event.id, rules: ['faq'], commands: [command], decidedAt: now.toISOString() });
    expect(await actions.claim(command, 30_000, now)).toBe('claimed');
    await actions.complete(command.id, { status: 'succeeded', mode: 'sandbox' }, now, {
      tags: { eventId: event.id, tags: ['faq'] },
      audit: {
        id: `action:${command.id}`,
        at: now.toISOString(),
        kind: 'action',
        what: 'reply.sent',
        eventId: event.id,
        commandId: command.id,
      },
    });

    expect(database.stats.writes - before.writes).toBe(4);
    expect(database.stats.reads - before.reads).toBe(0);
    // And it all landed.
    expect((await events.get(event.id))?.event.tags).toEqual(['faq']);
    expect((await new EmbeddedAuditLog(database).list(10)).map((entry) => entry.id)).toEqual([`action:${command.id}`]);
    expect(database.get(`queue/actions/${command.id}`)).toBe(command.id);
  });
});
