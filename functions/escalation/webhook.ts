import type { ActionCommand } from '../core/action-command.js';
import { credential } from '../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../core/http.js';
import type { Settings } from '../core/settings.js';
import { signGeneric } from '../platforms/generic/verify.js';
import type { Escalation } from './escalation.js';
import { interpretAlertingResponse, jsonBody } from './responses.js';
import type { EscalationTarget } from './target-config.js';
import { consoleLink } from './ticket-wire.js';

type WebhookTarget = Extract<EscalationTarget, { type: 'webhook' }>;

/**
 * A generic outgoing HTTPS call: the escalation as JSON, signed `X-Foghorn-Signature: sha256=<hmac>` over the raw
 * body, with the command id as `Idempotency-Key` (a retried call carries the same key, so a receiver that honours
 * it acts once). Any 2xx is delivered; its `id`, when the answer is JSON with one, is kept. Each escalation is its
 * own call; `conversation` (the thread's key, as helpdesk tickets use) lets a receiver put a thread's calls together.
 */
export function buildWebhookRequest(
  escalation: Escalation,
  target: WebhookTarget,
  settings: Settings,
  command: ActionCommand,
  conversation?: string,
): OutboundRequest {
  const body = JSON.stringify({
    type: escalation.resolve ? 'foghorn.escalation.resolved' : 'foghorn.escalation',
    id: command.id,
    rule: escalation.ruleId,
    severity: escalation.severity,
    summary: escalation.summary,
    incident: escalation.incident,
    ...(conversation === undefined ? {} : { conversation }),
    event: escalation.event,
    ...(escalation.count === undefined ? {} : { count: escalation.count }),
    ...(escalation.samples ? { samples: escalation.samples } : {}),
    links: {
      event: escalation.foghornLink,
      conversation: consoleLink(escalation),
      ...(escalation.event.link ? { platform: escalation.event.link } : {}),
    },
  });
  return {
    method: 'POST',
    url: target.url,
    headers: {
      'content-type': 'application/json',
      'idempotency-key': command.id,
      // The signature Foghorn's own generic webhooks check (platforms/generic/verify.ts).
      'x-foghorn-signature': signGeneric(credential(settings, target.secret), body),
    },
    body,
  };
}

export function interpretWebhookResponse(response: OutboundResponse, now: Date): { externalId?: string } {
  interpretAlertingResponse('webhook', response, now);
  const id = jsonBody(response)?.id;
  return typeof id === 'string' || typeof id === 'number' ? { externalId: String(id) } : {};
}
