import { credential } from '../core/connector.js';
import { AmbiguousActionError } from '../core/errors.js';
import type { Settings } from '../core/settings.js';
import type { Escalation } from './escalation.js';
import type { TicketRef } from './ports.js';
import { interpretAlertingResponse, jsonBody } from './responses.js';
import type { EscalationTarget } from './target-config.js';
import { basicAuth, commandMark, requesterOf, type TicketWire, ticketLines, ticketSubject, trimBase } from './ticket-wire.js';

type FreshdeskTarget = Extract<EscalationTarget, { type: 'freshdesk' }>;

/** Freshdesk takes HTML: the text escaped, one line per paragraph line. */
function html(escalation: Escalation, first: boolean): string {
  return ticketLines(escalation, first)
    .map((line) => line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>'))
    .join('<br>');
}

/**
 * Freshdesk API v2 (developers.freshdesk.com/api/#create_ticket): `POST /api/v2/tickets` with the platform account
 * as `unique_external_id` (a social customer has no email) and the command's mark among the tags (what a lookup
 * after a timeout searches: `GET /api/v2/search/tickets?query="tag:'…'"`); later messages are private notes
 * (`POST /api/v2/tickets/{id}/notes`). The API key authenticates as the user, `X` as the password.
 */
export function freshdeskWire(target: FreshdeskTarget, settings: Settings): TicketWire {
  const base = trimBase(target.url);
  const headers = () => ({ 'content-type': 'application/json', authorization: basicAuth(credential(settings, target.apiKey), 'X') });
  const ref = (id: unknown): TicketRef => ({ id: String(id), url: `${base}/a/tickets/${String(id)}` });
  return {
    create: (escalation, command) => {
      const requester = requesterOf(command);
      return {
        method: 'POST',
        url: `${base}/api/v2/tickets`,
        headers: headers(),
        body: JSON.stringify({
          subject: ticketSubject(escalation, 255),
          description: html(escalation, true),
          name: requester.name,
          unique_external_id: requester.externalId,
          status: 2,
          priority: target.priority ?? 2,
          tags: ['foghorn', commandMark(command.id), ...target.tags],
        }),
      };
    },
    created: (response, now) => {
      interpretAlertingResponse('freshdesk', response, now);
      const id = jsonBody(response)?.id;
      if (typeof id !== 'number' && typeof id !== 'string')
        throw new AmbiguousActionError(`freshdesk answered ${response.status} without an id: the ticket may exist`);
      return ref(id);
    },
    comment: (ticket, escalation) => ({
      method: 'POST',
      url: `${base}/api/v2/tickets/${encodeURIComponent(ticket.id)}/notes`,
      headers: headers(),
      body: JSON.stringify({ body: html(escalation, false), private: true }),
    }),
    commented: (response, now) => interpretAlertingResponse('freshdesk', response, now),
    lookup: (commandId) => ({
      method: 'GET',
      url: `${base}/api/v2/search/tickets?query=${encodeURIComponent(`"tag:'${commandMark(commandId)}'"`)}`,
      headers: headers(),
    }),
    found: (response, now) => {
      interpretAlertingResponse('freshdesk', response, now);
      const results = jsonBody(response)?.results;
      if (!Array.isArray(results)) throw new Error(`freshdesk answered ${response.status} without search results`);
      return results.map((ticket: { id?: unknown }) => ref(ticket.id));
    },
  };
}
