import type { ActionCommand } from '../../core/action-command.js';
import { credential, type Delivered } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { commandText, metaString } from '../shared/command-params.js';
import { resetWaitMs } from '../shared/rate-limit-reset.js';
import { MASTODON_ACCESS_TOKEN, MASTODON_BASE_URL } from './settings.js';

/**
 * A reply: `POST /api/v1/statuses` with `in_reply_to_id` on the instance the status was read from
 * (https://docs.joinmastodon.org/methods/statuses/#create), opening with the author's @handle so they are notified,
 * and an `Idempotency-Key` (the command id) so the instance keeps one status for a retried command.
 */
export function buildMastodonRequest(command: ActionCommand, settings: Settings): OutboundRequest {
  const text = commandText(command);
  const statusId = metaString(command, 'statusId');
  const instance = settings.get(MASTODON_BASE_URL) ?? metaString(command, 'instance');
  if (!statusId || !instance)
    throw new PermanentActionError(
      `mastodon reply needs the status id and its instance (meta.statusId, meta.instance); event ${command.event.id} has none`,
    );
  const acct = metaString(command, 'acct');
  const mention = acct && !text.includes(`@${acct}`) ? `@${acct} ` : '';
  return {
    method: 'POST',
    url: `${instance.replace(/\/+$/, '')}/api/v1/statuses`,
    headers: {
      authorization: `Bearer ${credential(settings, MASTODON_ACCESS_TOKEN)}`,
      'content-type': 'application/json',
      'idempotency-key': command.id,
    },
    body: JSON.stringify({ status: `${mention}${text}`, in_reply_to_id: statusId }),
  };
}

/** 200: the new status; 429 waits for X-RateLimit-Reset; 5xx waits; anything else is refused with the instance's words. */
export function interpretMastodonResponse(response: OutboundResponse, now: Date): Delivered {
  if (response.status === 429 || response.status >= 500)
    throw new TransientActionError(`mastodon answered HTTP ${response.status}`, resetWaitMs(response, now));
  let body: { id?: unknown; error?: unknown } = {};
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    // The status line says enough.
  }
  if (response.status !== 200)
    throw new PermanentActionError(
      `mastodon answered HTTP ${response.status}: ${typeof body.error === 'string' ? body.error : response.body.slice(0, 300)}`,
      {
        status: response.status,
      },
    );
  return typeof body.id === 'string' ? { externalId: body.id } : {};
}
