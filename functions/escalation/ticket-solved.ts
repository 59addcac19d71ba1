import type { CanonicalEvent } from '../core/event.js';
import type { ConversationTicket } from './ports.js';

/** What a helpdesk's webhook says about one of its tickets. */
export interface TicketChange {
  ticketId: string;
  /** The helpdesk's status as it names it (`solved`, `Done`). */
  status: string;
  solved: boolean;
  /** When it changed, as the helpdesk says; part of the event id, so a ticket solved again is a new event. */
  at?: string;
}

/**
 * The `ticket.solved` event of a ticket Foghorn opened: addressed like the message that opened it (platform,
 * channel, thread, author and platform meta, as an SLA breach is), so a rule's `reply` answers the customer in
 * their own thread, with `meta.ticket` saying which ticket. Its id is stable for one change: a helpdesk's
 * redelivery is stored once.
 */
export function ticketSolvedEvent(ticket: ConversationTicket, change: TicketChange, now: Date): CanonicalEvent {
  const { event } = ticket;
  const at = change.at && !Number.isNaN(Date.parse(change.at)) ? new Date(change.at).toISOString() : undefined;
  return {
    id: `${event.platform}:ticket-solved:${ticket.helpdesk}:${change.ticketId}${at ? `:${at}` : ''}`,
    platform: event.platform,
    kind: 'ticket.solved',
    text: event.text,
    ...(event.lang ? { lang: event.lang } : {}),
    author: event.author,
    channel: event.channel,
    thread: event.thread,
    createdAt: at ?? now.toISOString(),
    receivedAt: now.toISOString(),
    ...(event.url ? { url: event.url } : {}),
    meta: {
      ...event.meta,
      ticket: {
        helpdesk: ticket.helpdesk,
        target: ticket.target,
        id: change.ticketId,
        ...(ticket.url ? { url: ticket.url } : {}),
        status: change.status,
        conversation: ticket.conversation,
        eventId: event.id,
      },
    },
  };
}
