import { BadRequestError, FoghornError, NotConfiguredError, PayloadTooLargeError, SignatureError } from '../core/errors.js';
import type { CanonicalEvent } from '../core/event.js';
import type { HttpResponse, InboundRequest } from '../core/http.js';
import type { Clock } from '../core/ports.js';
import { missingSettings, type Settings } from '../core/settings.js';
import { hmacSha256, safeEqual } from '../platforms/shared/hmac.js';
import type { Helpdesk, TicketStore } from './ports.js';
import { type TicketChange, ticketSolvedEvent } from './ticket-solved.js';

/** A helpdesk that signs its webhooks: how to check the signature, and how to read a ticket change. */
interface HelpdeskWebhook {
  helpdesk: Helpdesk;
  /** The setting holding the webhook's signing secret. */
  secret: string;
  /** Throws SignatureError unless the request is signed with `secret` (constant time, over the raw bytes). */
  verify(request: InboundRequest, secret: string): void;
  /** The ticket change the body describes; undefined for a delivery about something else (answered 200, ignored). */
  read(body: Record<string, unknown>): TicketChange | undefined;
}

export const ZENDESK_WEBHOOK_SECRET = 'FOGHORN_ZENDESK_WEBHOOK_SECRET';
export const JIRA_WEBHOOK_SECRET = 'FOGHORN_JIRA_WEBHOOK_SECRET';

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
const record = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

/**
 * Zendesk (developer.zendesk.com/documentation/webhooks/verifying/): `X-Zendesk-Webhook-Signature` is the base64
 * HMAC-SHA256 of `X-Zendesk-Webhook-Signature-Timestamp` followed by the raw body. Two bodies are read: the event
 * webhook `zen:event-type:ticket.status_changed` (developer.zendesk.com/api-reference/webhooks/event-types/ticket-events),
 * and a trigger's JSON body `{"ticket": {"id": "{{ticket.id}}", "status": "{{ticket.status}}", "updated_at": "{{ticket.updated_at_with_timestamp}}"}}`.
 */
const zendesk: HelpdeskWebhook = {
  helpdesk: 'zendesk',
  secret: ZENDESK_WEBHOOK_SECRET,
  verify(request, secret) {
    const signature = request.headers['x-zendesk-webhook-signature'];
    const timestamp = request.headers['x-zendesk-webhook-signature-timestamp'];
    if (!signature || !timestamp)
      throw new SignatureError('missing x-zendesk-webhook-signature or x-zendesk-webhook-signature-timestamp header');
    const expected = hmacSha256(secret, Buffer.concat([Buffer.from(timestamp, 'utf8'), request.rawBody])).toString('base64');
    if (!safeEqual(signature.trim(), expected))
      throw new SignatureError('x-zendesk-webhook-signature does not match the timestamp and body');
  },
  read(body) {
    if (typeof body.type === 'string') {
      if (body.type !== 'zen:event-type:ticket.status_changed') return undefined;
      const detail = record(body.detail);
      const current = record(body.event).current;
      const status = text(typeof current === 'object' ? record(current).status : current) ?? text(detail.status);
      const ticketId = text(detail.id) ?? text(body.subject)?.replace(/^zen:ticket:/, '');
      if (!ticketId || !status) throw new BadRequestError('zendesk ticket.status_changed without detail.id or event.current');
      return { ticketId, status, solved: /^solved$/i.test(status), ...(text(body.time) ? { at: text(body.time) } : {}) };
    }
    const ticket = record(body.ticket);
    const ticketId = text(ticket.id);
    const status = text(ticket.status);
    if (!ticketId || !status)
      throw new BadRequestError('zendesk webhook body has neither type nor ticket.id and ticket.status (see docs/routing.md)');
    const at = text(ticket.updated_at);
    return { ticketId, status, solved: /^solved$/i.test(status), ...(at ? { at } : {}) };
  },
};

/**
 * Jira Cloud admin webhooks with a secret (developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks):
 * `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. `jira:issue_updated` whose changelog moves the
 * status into the `done` category is the issue solved.
 */
const jira: HelpdeskWebhook = {
  helpdesk: 'jira',
  secret: JIRA_WEBHOOK_SECRET,
  verify(request, secret) {
    const signature = request.headers['x-hub-signature'];
    if (!signature) throw new SignatureError('missing x-hub-signature header');
    const expected = `sha256=${hmacSha256(secret, request.rawBody).toString('hex')}`;
    if (!safeEqual(signature.trim().toLowerCase(), expected)) throw new SignatureError('x-hub-signature does not match the body');
  },
  read(body) {
    if (body.webhookEvent !== 'jira:issue_updated') return undefined;
    const issue = record(body.issue);
    const key = text(issue.key);
    const status = record(record(issue.fields).status);
    const changed = (record(body.changelog).items as unknown[] | undefined)?.some((item) => record(item).field === 'status');
    if (!key) throw new BadRequestError('jira:issue_updated without issue.key');
    if (!changed) return undefined;
    const name = text(status.name) ?? '';
    const at = typeof body.timestamp === 'number' ? new Date(body.timestamp).toISOString() : undefined;
    return { ticketId: key, status: name, solved: record(status.statusCategory).key === 'done', ...(at ? { at } : {}) };
  },
};

/** The helpdesks whose webhooks come back to `/webhooks/{helpdesk}` (Freshdesk signs none: docs/routing.md). */
export const HELPDESK_WEBHOOKS: Readonly<Record<string, HelpdeskWebhook>> = { zendesk, jira };

export function isHelpdeskWebhook(platform: string): boolean {
  return Object.hasOwn(HELPDESK_WEBHOOKS, platform);
}

export interface HelpdeskWebhookDependencies {
  tickets: TicketStore | undefined;
  settings: Settings;
  clock: Clock;
  maxBodyBytes: number;
  /** Stores and publishes the event once (idempotent on its id). */
  emit(event: CanonicalEvent): Promise<void>;
  onError?: (error: unknown, request: InboundRequest) => void;
}

/**
 * `POST /webhooks/zendesk` and `/webhooks/jira`: the helpdesk's signature checked (401 when wrong), then a solved
 * ticket Foghorn opened becomes a `ticket.solved` event in the conversation that opened it. Any other change, or a
 * ticket Foghorn did not open, is answered 200 and ignored (the helpdesk would only retry a refusal).
 */
export async function receiveHelpdeskWebhook(request: InboundRequest, deps: HelpdeskWebhookDependencies): Promise<HttpResponse> {
  try {
    return await receive(request, deps);
  } catch (error) {
    if (error instanceof FoghornError && (error.status < 500 || error instanceof NotConfiguredError))
      return { status: error.status, body: { error: error.message, detail: error.detail ?? null } };
    deps.onError?.(error, request);
    return { status: 503, body: { error: 'temporarily unable to accept the delivery; retry', detail: null } };
  }
}

async function receive(request: InboundRequest, deps: HelpdeskWebhookDependencies): Promise<HttpResponse> {
  const webhook = HELPDESK_WEBHOOKS[request.platform];
  if (!webhook)
    throw new BadRequestError(
      `'${request.platform}' is not a helpdesk with webhooks (known: ${Object.keys(HELPDESK_WEBHOOKS).join(', ')})`,
    );
  if (request.rawBody.length > deps.maxBodyBytes) throw new PayloadTooLargeError(deps.maxBodyBytes, request.rawBody.length);
  if (missingSettings(deps.settings, [webhook.secret]).length > 0) throw new NotConfiguredError(webhook.helpdesk, [webhook.secret]);
  if (request.method !== 'POST') throw new FoghornError(`${request.method} is not accepted here; deliveries are POSTed`, { status: 405 });
  webhook.verify(request, deps.settings.get(webhook.secret)!);

  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new BadRequestError(`${webhook.helpdesk} webhook body is not JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequestError(`${webhook.helpdesk} webhook body must be a JSON object`);
  const change = webhook.read(body as Record<string, unknown>);
  if (!change) return { status: 200, body: { ok: true, ignored: 'not a ticket status change' } };
  if (!change.solved) return { status: 200, body: { ok: true, ignored: `ticket ${change.ticketId} is ${change.status}, not solved` } };
  if (!deps.tickets) throw new FoghornError('this runtime keeps no helpdesk tickets', { status: 503 });
  const ticket = await deps.tickets.byTicketId(webhook.helpdesk, change.ticketId);
  if (!ticket) return { status: 200, body: { ok: true, ignored: `ticket ${change.ticketId} was not opened by Foghorn` } };
  const event = ticketSolvedEvent(ticket, change, deps.clock.now());
  await deps.emit(event);
  return { status: 200, body: { ok: true, events: [event.id] } };
}
