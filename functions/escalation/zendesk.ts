import { credential } from '../core/connector.js';
import { AmbiguousActionError } from '../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../core/http.js';
import type { Settings } from '../core/settings.js';
import type { TicketRef } from './ports.js';
import { interpretAlertingResponse, jsonBody } from './responses.js';
import type { EscalationTarget } from './target-config.js';
import { basicAuth, requesterOf, type TicketWire, ticketLines, ticketSubject, trimBase } from './ticket-wire.js';

type ZendeskTarget = Extract<EscalationTarget, { type: 'zendesk' }>;

/**
 * Zendesk Support, Tickets API (developer.zendesk.com/api-reference/ticketing/tickets/tickets/): `POST
 * /api/v2/tickets.json` with the customer as requester and their words as the first comment, the command id as
 * `external_id` and as `Idempotency-Key` (a repeat within two hours returns the same ticket); later messages
 * are private comments through `PUT /api/v2/tickets/{id}.json`. API token authentication: `{email}/token:{token}`.
 */
export function zendeskWire(target: ZendeskTarget, settings: Settings): TicketWire {
  const base = trimBase(target.url);
  const headers = () => ({
    'content-type': 'application/json',
    authorization: basicAuth(`${credential(settings, target.email)}/token`, credential(settings, target.token)),
  });
  const ref = (id: unknown): TicketRef => ({ id: String(id), url: `${base}/agent/tickets/${String(id)}` });
  return {
    create: (escalation, command) => {
      const requester = requesterOf(command);
      return {
        method: 'POST',
        url: `${base}/api/v2/tickets.json`,
        headers: { ...headers(), 'idempotency-key': command.id },
        body: JSON.stringify({
          ticket: {
            subject: ticketSubject(escalation, 150),
            comment: { body: ticketLines(escalation, true).join('\n') },
            requester: { name: requester.name, external_id: requester.externalId },
            external_id: command.id,
            tags: ['foghorn', ...target.tags],
            ...(target.priority ? { priority: target.priority } : {}),
          },
        }),
      };
    },
    created: (response, now) => {
      interpretAlertingResponse('zendesk', response, now);
      const id = (jsonBody(response)?.ticket as { id?: unknown } | undefined)?.id;
      if (typeof id !== 'number' && typeof id !== 'string')
        throw new AmbiguousActionError(`zendesk answered ${response.status} without ticket.id: the ticket may exist`);
      return ref(id);
    },
    comment: (ticket, escalation) => ({
      method: 'PUT',
      url: `${base}/api/v2/tickets/${encodeURIComponent(ticket.id)}.json`,
      headers: headers(),
      body: JSON.stringify({ ticket: { comment: { body: ticketLines(escalation, false).join('\n'), public: false } } }),
    }),
    commented: (response, now) => interpretAlertingResponse('zendesk', response, now),
    lookup: (commandId): OutboundRequest => ({
      method: 'GET',
      url: `${base}/api/v2/tickets.json?external_id=${encodeURIComponent(commandId)}`,
      headers: headers(),
    }),
    found: (response: OutboundResponse, now) => {
      interpretAlertingResponse('zendesk', response, now);
      const tickets = jsonBody(response)?.tickets;
      if (!Array.isArray(tickets)) throw new Error(`zendesk answered ${response.status} without a tickets list`);
      return tickets.map((ticket: { id?: unknown }) => ref(ticket.id));
    },
  };
}
