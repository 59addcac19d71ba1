import type { ConversationTicket, Helpdesk, TicketRef, TicketStore } from '../../escalation/ports.js';
import type { EmbeddedDatabase } from './database.js';

const TICKET_PREFIX = 'ticket/conversation/';

function conversationPrefix(conversation: string): string {
  return `${TICKET_PREFIX}${encodeURIComponent(required(conversation, 'conversation'))}/`;
}

function ticketKey(conversation: string, target: string): string {
  return `${conversationPrefix(conversation)}${encodeURIComponent(required(target, 'target'))}`;
}

function refKey(helpdesk: Helpdesk, id: string): string {
  return `ticket/ref/${helpdesk}/${encodeURIComponent(required(id, 'id'))}`;
}

function required(value: string, name: string): string {
  if (!value) throw new Error(`EmbeddedTicketStore: ${name} is required`);
  return value;
}

/**
 * Conversations' helpdesk tickets: `ticket/conversation/<conversation>/<target>`, and `ticket/ref/<helpdesk>/<id>`
 * naming the conversation of a helpdesk id (what its webhooks carry). Each change is one transaction that checks
 * the stored ticket first, so one command opens a conversation's ticket.
 */
export class EmbeddedTicketStore implements TicketStore {
  constructor(private readonly db: EmbeddedDatabase) {
    if (!db) throw new Error('EmbeddedTicketStore: an EmbeddedDatabase is required');
  }

  async get(conversation: string, target: string): Promise<ConversationTicket | undefined> {
    return this.db.get<ConversationTicket>(ticketKey(conversation, target));
  }

  async reserve(ticket: ConversationTicket): Promise<ConversationTicket> {
    const key = ticketKey(ticket.conversation, ticket.target);
    return this.db.write((tx) => {
      const stored = tx.get<ConversationTicket>(key);
      if (stored) return stored;
      tx.put(key, ticket);
      return ticket;
    });
  }

  async open(conversation: string, target: string, openedBy: string, ref: TicketRef, now: Date): Promise<boolean> {
    const key = ticketKey(conversation, target);
    return this.db.write((tx) => {
      const stored = tx.get<ConversationTicket>(key);
      if (stored?.status !== 'opening' || stored.openedBy !== openedBy) return false;
      const opened: ConversationTicket = {
        ...stored,
        status: 'open',
        id: ref.id,
        openedAt: now.toISOString(),
        ...(ref.url ? { url: ref.url } : {}),
      };
      tx.put(key, opened);
      tx.put(refKey(stored.helpdesk, ref.id), { conversation, target });
      return true;
    });
  }

  async release(conversation: string, target: string, openedBy: string): Promise<boolean> {
    const key = ticketKey(conversation, target);
    return this.db.write((tx) => {
      const stored = tx.get<ConversationTicket>(key);
      if (stored?.status !== 'opening' || stored.openedBy !== openedBy) return false;
      tx.remove(key);
      return true;
    });
  }

  async byTicketId(helpdesk: Helpdesk, id: string): Promise<ConversationTicket | undefined> {
    const ref = this.db.get<{ conversation: string; target: string }>(refKey(helpdesk, id));
    return ref ? this.get(ref.conversation, ref.target) : undefined;
  }

  async forConversation(conversation: string): Promise<ConversationTicket[]> {
    return this.db.range<ConversationTicket>({ prefix: conversationPrefix(conversation) }).map(({ value }) => value);
  }
}
