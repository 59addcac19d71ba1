import type { ActionCommand } from '../../core/action-command.js';
import { credential } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { retryAfterMs } from '../shared/retry-after.js';
import { signGeneric } from './verify.js';

export const GENERIC_SECRET = 'FOGHORN_GENERIC_SECRET';
export const GENERIC_REPLY_URL = 'FOGHORN_GENERIC_REPLY_URL';

/** A reply or post to a generic event: a POST to the configured callback URL, signed like inbound deliveries. */
export function buildGenericRequest(command: ActionCommand, settings: Settings): OutboundRequest {
  const body = JSON.stringify({
    id: command.id,
    type: command.type,
    rule: command.ruleId,
    inReplyTo: command.type === 'reply' ? command.event.id.slice('generic:'.length) : undefined,
    channel: (command.params.channel as string | undefined) ?? command.event.channel.id,
    thread: command.event.thread,
    text: command.params.text,
    lang: command.params.lang,
  });
  return {
    method: 'POST',
    url: credential(settings, GENERIC_REPLY_URL),
    headers: {
      'content-type': 'application/json',
      'x-foghorn-signature': signGeneric(credential(settings, GENERIC_SECRET), body),
      'idempotency-key': command.id,
    },
    body,
  };
}

export function interpretGenericResponse(response: OutboundResponse): { externalId?: string } {
  if (response.status >= 200 && response.status < 300) {
    try {
      const parsed = JSON.parse(response.body) as { id?: unknown };
      return typeof parsed.id === 'string' ? { externalId: parsed.id } : {};
    } catch {
      return {};
    }
  }
  if (response.status === 429 || response.status >= 500) {
    throw new TransientActionError(
      `callback answered ${response.status}`,
      retryAfterMs(response.headers['retry-after']),
      response.body.slice(0, 500),
    );
  }
  throw new PermanentActionError(`callback answered ${response.status}: ${response.body.slice(0, 500)}`);
}
