import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import type { StoredDecision } from '../../../functions/core/ports.js';
import type { WriteTx } from '../../../functions/storage/embedded/database.js';
import { EmbeddedDecisionStore } from '../../../functions/storage/embedded/decision-store.js';
import { makeEvent } from '../../support/events.js';
import { useEmbeddedDatabase } from '../contracts/use-embedded-database.js';

function decision(eventId: string, commands: number): StoredDecision {
  return {
    eventId,
    rules: ['faq'],
    commands: Array.from({ length: commands }, (_, index) => ({
      id: `${eventId}#faq#${index}`,
      eventId,
      ruleId: 'faq',
      index,
      type: 'reply',
      params: { text: 'hi' },
      event: makeEvent({ id: eventId }),
      createdAt: '2026-11-22T10:00:02.000Z',
    })),
    decidedAt: '2026-11-22T10:00:02.000Z',
  };
}

describe('EmbeddedDecisionStore', () => {
  const db = useEmbeddedDatabase();

  it('with an outbox, enqueues the commands in the write that keeps the decision, once', async () => {
    const sent: string[] = [];
    const outbox = (tx: WriteTx, commands: readonly ActionCommand[]) => {
      for (const command of commands) {
        sent.push(command.id);
        tx.put(`queue/actions/${command.id}`, { body: JSON.stringify(command) });
      }
    };
    const store = new EmbeddedDecisionStore({ database: db.current, outbox });
    const writesBefore = db.current.stats.writes;
    const first = decision('generic:q1', 2);

    expect(await store.putIfAbsent(first)).toEqual({ decision: first, created: true, queued: true });
    expect(db.current.stats.writes - writesBefore).toBe(1);
    expect(db.current.get('queue/actions/generic:q1#faq#1')).toBeDefined();
    expect(await store.putIfAbsent(decision('generic:q1', 3))).toEqual({ decision: first, created: false, queued: true });
    expect(sent).toEqual(['generic:q1#faq#0', 'generic:q1#faq#1']);
    expect(await store.get('generic:q1')).toEqual({ ...first, queued: true });
  });

  it('calls no outbox for a decision without commands', async () => {
    let calls = 0;
    const store = new EmbeddedDecisionStore({ database: db.current, outbox: () => calls++ });
    expect(await store.putIfAbsent(decision('generic:q2', 0))).toMatchObject({ created: true });
    expect(calls).toBe(0);
  });

  it('keeps no decision when its commands could not be enqueued', async () => {
    const store = new EmbeddedDecisionStore({
      database: db.current,
      outbox: () => {
        throw new Error('queue refused');
      },
    });
    await expect(store.putIfAbsent(decision('generic:q3', 1))).rejects.toThrow('queue refused');
    expect(await store.get('generic:q3')).toBeUndefined();
  });
});
