import type { CanonicalEvent } from '../core/event.js';

/** The helpdesks a conversation can have a ticket in. */
export const HELPDESKS = ['zendesk', 'freshdesk', 'jira'] as const;
export type Helpdesk = (typeof HELPDESKS)[number];

/**
 * One conversation's ticket in one target's helpdesk. `opening` while the command that opens it runs (so a
 * second message of the conversation waits instead of opening a second ticket), `open` once the helpdesk
 * answered with its id.
 */
export interface ConversationTicket {
  /** The conversation key (crisis/conversation.ts): the thread the customer wrote in. */
  conversation: string;
  /** The target's name under `targets:`. */
  target: string;
  helpdesk: Helpdesk;
  status: 'opening' | 'open';
  /** The command that opens it (its id is the idempotency key and the lookup key after a timeout). */
  openedBy: string;
  /** The helpdesk's id (a Jira issue key), and where a person opens it. */
  id?: string;
  url?: string;
  createdAt: string;
  openedAt?: string;
  /** The message that opened it: an answer to the customer goes back to its thread. */
  event: CanonicalEvent;
}

export interface TicketRef {
  id: string;
  url?: string;
}

/**
 * Where a conversation's tickets are kept (embedded store locally, the single table on AWS). Every change
 * that must happen once is conditional and answers whether this caller made it.
 */
export interface TicketStore {
  get(conversation: string, target: string): Promise<ConversationTicket | undefined>;
  /** Stores `ticket` (status `opening`) unless the conversation has one for its target; answers the stored one (this caller's when it won). */
  reserve(ticket: ConversationTicket): Promise<ConversationTicket>;
  /** opening → open with the helpdesk's id, if `openedBy` still holds it; true when this caller made the change. */
  open(conversation: string, target: string, openedBy: string, ref: TicketRef, now: Date): Promise<boolean>;
  /** Drops a reservation `openedBy` still holds while opening (its create failed for good); true when dropped. */
  release(conversation: string, target: string, openedBy: string): Promise<boolean>;
  /** The open ticket a helpdesk's id belongs to (what its webhooks name). */
  byTicketId(helpdesk: Helpdesk, id: string): Promise<ConversationTicket | undefined>;
  /** Every ticket of a conversation, any target. */
  forConversation(conversation: string): Promise<ConversationTicket[]>;
}

/** Names the conversation a message belongs to (crisis/conversation.ts owns conversation keys). */
export type ConversationOf = (event: CanonicalEvent) => string;
