import { expect, it } from 'vitest';
import type { ConversationTicket, TicketStore } from '../../../functions/escalation/ports.js';
import { makeEvent } from '../../support/events.js';

/**
 * What every TicketStore must do, run against the embedded store (lmdb) and the DynamoDB one (dynalite).
 * The harness may share one table between tests: each test uses its own conversation keys.
 */
export function ticketStoreContract(make: () => TicketStore): void {
  const now = new Date('2026-12-02T03:00:00.000Z');
  const ticket = (conversation: string, openedBy: string, target = 'support'): ConversationTicket => ({
    conversation,
    target,
    helpdesk: 'zendesk',
    status: 'opening',
    openedBy,
    createdAt: now.toISOString(),
    event: makeEvent({ id: `x:${conversation}`, text: 'my order never came' }),
  });

  it('has no ticket for a conversation that never had one', async () => {
    const store = make();
    expect(await store.get('x|c|never', 'support')).toBeUndefined();
    expect(await store.forConversation('x|c|never')).toEqual([]);
    expect(await store.byTicketId('zendesk', '404404')).toBeUndefined();
  });

  it('lets one command reserve a conversation: the second is answered with the first one', async () => {
    const store = make();
    const [first, second] = await Promise.all([store.reserve(ticket('x|c|r1', 'act_a')), store.reserve(ticket('x|c|r1', 'act_b'))]);
    expect(first.openedBy).toBe(second.openedBy);
    expect((await store.get('x|c|r1', 'support'))?.openedBy).toBe(first.openedBy);
    // Another target of the same conversation is its own ticket.
    expect((await store.reserve(ticket('x|c|r1', 'act_c', 'jira-desk'))).openedBy).toBe('act_c');
  });

  it('opens a reserved ticket for its command only, once, and finds it by the helpdesk id', async () => {
    const store = make();
    await store.reserve(ticket('x|c|o1', 'act_a'));
    expect(await store.open('x|c|o1', 'support', 'act_b', { id: '35436' }, now)).toBe(false);
    expect(await store.open('x|c|o1', 'support', 'act_a', { id: '35436', url: 'https://acme.zendesk.com/agent/tickets/35436' }, now)).toBe(
      true,
    );
    expect(await store.open('x|c|o1', 'support', 'act_a', { id: '99' }, now)).toBe(false);
    const opened = await store.get('x|c|o1', 'support');
    expect(opened).toMatchObject({
      status: 'open',
      id: '35436',
      url: 'https://acme.zendesk.com/agent/tickets/35436',
      openedAt: now.toISOString(),
      openedBy: 'act_a',
    });
    expect(opened?.event.text).toBe('my order never came');
    expect(await store.byTicketId('zendesk', '35436')).toEqual(opened);
    expect(await store.byTicketId('jira', '35436')).toBeUndefined();
    expect(await store.forConversation('x|c|o1')).toEqual([opened]);
  });

  it('releases a reservation only for the command holding it, and never an open ticket', async () => {
    const store = make();
    await store.reserve(ticket('x|c|l1', 'act_a'));
    expect(await store.release('x|c|l1', 'support', 'act_b')).toBe(false);
    expect(await store.release('x|c|l1', 'support', 'act_a')).toBe(true);
    expect(await store.get('x|c|l1', 'support')).toBeUndefined();
    expect((await store.reserve(ticket('x|c|l1', 'act_b'))).openedBy).toBe('act_b');
    await store.open('x|c|l1', 'support', 'act_b', { id: '7' }, now);
    expect(await store.release('x|c|l1', 'support', 'act_b')).toBe(false);
    expect((await store.get('x|c|l1', 'support'))?.status).toBe('open');
  });

  it('says what is missing when used without a conversation or target', async () => {
    await expect(make().get('', 'support')).rejects.toThrow(/conversation is required/);
    await expect(make().get('x|c|1', '')).rejects.toThrow(/target is required/);
  });
}
