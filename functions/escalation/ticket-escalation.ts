import type { ExecutionResult, Settlement } from '../core/act.js';
import type { ActionCommand } from '../core/action-command.js';
import { AmbiguousActionError, PermanentActionError, TransientActionError } from '../core/errors.js';
import type { HttpSender, OutboundRequest, OutboundResponse } from '../core/http.js';
import type { Clock } from '../core/ports.js';
import type { Escalation } from './escalation.js';
import type { ConversationOf, ConversationTicket, TicketStore } from './ports.js';
import type { HelpdeskTarget } from './target-config.js';
import type { TicketWire } from './ticket-wire.js';

/**
 * How long a second message of a conversation waits, each time, while the first one's command opens its ticket:
 * long enough that the queue's deliveries outlast an opener kept waiting by a helpdesk's rate limit.
 */
const OPENING_WAIT_MS = 60_000;

export interface TicketEscalationDependencies {
  tickets: TicketStore;
  conversationOf: ConversationOf;
  live: HttpSender;
  clock: Clock;
  /** The request as recorded: secrets redacted. */
  redact(request: OutboundRequest): OutboundRequest;
}

/**
 * A helpdesk target, live: one ticket per conversation. The first command of a conversation reserves its ticket
 * (a conditional write), opens it and stores the helpdesk's id; a later message is added to it as a comment; a
 * message that arrives while the ticket is being opened waits for it. A create the helpdesk refused for good
 * drops the reservation, so the next message opens the ticket. A call whose outcome is unknown is settled by
 * `settleTicketCommand`, never sent again blindly.
 */
export async function escalateToTicket(
  deps: TicketEscalationDependencies,
  target: { name: string; config: HelpdeskTarget; wire: TicketWire },
  escalation: Escalation,
  command: ActionCommand,
): Promise<ExecutionResult> {
  const conversation = deps.conversationOf(command.event);
  const now = deps.clock.now();
  const ticket =
    (await deps.tickets.get(conversation, target.name)) ??
    (await deps.tickets.reserve({
      conversation,
      target: target.name,
      helpdesk: target.config.type,
      status: 'opening',
      openedBy: command.id,
      createdAt: now.toISOString(),
      event: command.event,
    }));

  if (ticket.status === 'open' && ticket.id !== undefined) {
    // This command opened it and stopped before its completion was written: it is done.
    if (ticket.openedBy === command.id) return { status: 'succeeded', mode: 'live', externalId: ticket.id };
    const request = target.wire.comment({ id: ticket.id }, escalation, command);
    target.wire.commented(await send(deps, request), now);
    return { status: 'succeeded', mode: 'live', request: deps.redact(request), externalId: ticket.id };
  }
  // A person approved resending a held create (`<id>~approved`): it opens the ticket its original reserved.
  if (ticket.openedBy !== command.id && !command.id.startsWith(`${ticket.openedBy}~`)) {
    throw new TransientActionError(
      `the conversation's ${target.name} ticket is being opened by ${ticket.openedBy}; this message is added to it once it is open`,
      OPENING_WAIT_MS,
    );
  }

  const request = target.wire.create(escalation, command);
  const response = await send(deps, request);
  let ref: ReturnType<TicketWire['created']>;
  try {
    ref = target.wire.created(response, now);
  } catch (error) {
    if (error instanceof PermanentActionError) await deps.tickets.release(conversation, target.name, ticket.openedBy);
    if (error instanceof AmbiguousActionError) throw new AmbiguousActionError(error.message, { request: deps.redact(request) });
    throw error;
  }
  await deps.tickets.open(conversation, target.name, ticket.openedBy, ref, now);
  return { status: 'succeeded', mode: 'live', request: deps.redact(request), externalId: ref.id };
}

async function send(deps: TicketEscalationDependencies, request: OutboundRequest): Promise<OutboundResponse> {
  try {
    return await deps.live.send(request);
  } catch (error) {
    // The record of an ambiguous call shows what may have been sent.
    if (error instanceof AmbiguousActionError)
      throw new AmbiguousActionError(error.message, { detail: error.detail, request: deps.redact(request) });
    throw error;
  }
}

/**
 * A helpdesk command whose call may have reached the helpdesk (a timeout, or a takeover of a claim whose worker
 * stopped): the ticket it opened is looked up by the command's mark (Zendesk: `external_id`; Freshdesk: a tag;
 * Jira: a label). Found: it succeeded, and the ticket is stored with the conversation. Not found: Zendesk is
 * asked again with the same Idempotency-Key (it returns the ticket the first call made, if any); Freshdesk and
 * Jira, whose search may not show a new ticket yet, hold it for a person. A comment that may have been added
 * is held too: no helpdesk can be asked for it by key.
 */
export async function settleTicketCommand(
  deps: TicketEscalationDependencies,
  target: { name: string; config: HelpdeskTarget; wire: TicketWire },
  command: ActionCommand,
): Promise<Settlement> {
  const conversation = deps.conversationOf(command.event);
  const stored: ConversationTicket | undefined = await deps.tickets.get(conversation, target.name);
  if (stored && stored.openedBy !== command.id) {
    if (stored.status === 'open')
      return { settled: 'unknown', note: `a comment may have been added to ${target.name} ticket ${stored.id}` };
    return { settled: 'retry', note: 'it had not been sent: another command is opening the ticket' };
  }
  if (stored?.status === 'open' && stored.id !== undefined) {
    return { settled: 'found', externalId: stored.id, note: `${target.name} ticket ${stored.id} is stored with the conversation` };
  }
  const now = deps.clock.now();
  const found = target.wire.found(await deps.live.send(target.wire.lookup(command.id)), now);
  if (found.length === 1) {
    const [ref] = found as [(typeof found)[0]];
    await deps.tickets.open(conversation, target.name, command.id, ref, now);
    return { settled: 'found', externalId: ref.id, note: `${target.config.type} has ticket ${ref.id} for this command` };
  }
  if (found.length > 1) {
    return {
      settled: 'unknown',
      note: `${target.config.type} has ${found.length} tickets for this command (${found.map((r) => r.id).join(', ')})`,
    };
  }
  if (target.config.type === 'zendesk') {
    return { settled: 'retry', note: 'zendesk has no ticket for it yet; asked again with the same Idempotency-Key' };
  }
  // Nothing holds the conversation for a resend the person approves (under another command id).
  await deps.tickets.release(conversation, target.name, command.id);
  return {
    settled: 'unknown',
    note: `${target.config.type}'s search shows no ticket for it yet (a new ticket may not be searchable at once)`,
  };
}
