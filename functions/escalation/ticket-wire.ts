import type { ActionCommand } from '../core/action-command.js';
import type { OutboundRequest, OutboundResponse } from '../core/http.js';
import type { Escalation } from './escalation.js';
import type { TicketRef } from './ports.js';

/**
 * What a helpdesk target says on the wire, one per helpdesk (zendesk.ts, freshdesk.ts, jira.ts): the requests that
 * open a ticket, add a comment to it and find the ticket a command opened, and the readings of their answers
 * (each throws TransientActionError or PermanentActionError as responses.ts classifies the answer).
 */
export interface TicketWire {
  create(escalation: Escalation, command: ActionCommand): OutboundRequest;
  /** A 2xx without the ticket's id is ambiguous (AmbiguousActionError): the ticket may exist, so it is looked up. */
  created(response: OutboundResponse, now: Date): TicketRef;
  comment(ticket: TicketRef, escalation: Escalation, command: ActionCommand): OutboundRequest;
  commented(response: OutboundResponse, now: Date): void;
  /** Asks for the tickets carrying the command's mark (its id as external id, tag or label). */
  lookup(commandId: string): OutboundRequest;
  /** The tickets the lookup found (more than one is for a person to sort out). */
  found(response: OutboundResponse, now: Date): TicketRef[];
}

/** Where a person sees the conversation in the console, beside the API link of the event. */
export function consoleLink(escalation: Escalation): string {
  const base = escalation.foghornLink.replace(/\/api\/events\/[^/]*$/, '');
  return `${base}/conversation/${encodeURIComponent(escalation.event.id)}`;
}

/** A ticket's subject: the rule's summary and who wrote, on one line. */
export function ticketSubject(escalation: Escalation, max: number): string {
  const subject = `${escalation.summary} (${escalation.event.author} on ${escalation.event.platform})`.replace(/\s+/g, ' ').trim();
  return subject.length > max ? `${subject.slice(0, max - 1)}…` : subject;
}

/** The customer's words first, then where to answer them and where Foghorn shows the conversation. */
export function ticketLines(escalation: Escalation, firstMessage: boolean): string[] {
  const { event } = escalation;
  return [
    `${event.author} wrote on ${event.platform} (${event.kind}) at ${event.at}:`,
    event.text,
    '',
    ...(event.link ? [`On the platform: ${event.link}`] : []),
    `Conversation in Foghorn: ${consoleLink(escalation)}`,
    `Event in Foghorn: ${escalation.foghornLink}`,
    firstMessage ? `Rule: ${escalation.ruleId} · severity ${escalation.severity}` : `Rule: ${escalation.ruleId}`,
  ];
}

/** Basic authentication as helpdesks take it (`user:password`, base64). */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The requester a helpdesk files the ticket under: the platform account, as a stable external id. */
export function requesterOf(command: ActionCommand): { name: string; externalId: string } {
  const { author, platform } = command.event;
  const name = author.name ?? (author.handle ? `@${author.handle.replace(/^@/, '')}` : author.id);
  return { name: name.slice(0, 255), externalId: `${platform}:${author.id}` };
}

/** The mark a command leaves on the ticket it opens, so a lookup after a timeout finds it (tags and labels take no `~`). */
export function commandMark(commandId: string): string {
  return `foghorn-${commandId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
