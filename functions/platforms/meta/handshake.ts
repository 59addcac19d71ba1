import type { ConnectorContext } from '../../core/connector.js';
import { NotConfiguredError } from '../../core/errors.js';
import type { HttpResponse, InboundRequest } from '../../core/http.js';
import { safeEqual } from '../shared/hmac.js';
import { META_VERIFY_TOKEN } from './settings.js';

/**
 * Meta's subscription check: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` is answered with the
 * challenge as plain text when the token is ours, 403 otherwise. Any other request is not a handshake.
 */
export function answerMetaHandshake(request: InboundRequest, context: ConnectorContext): HttpResponse | undefined {
  if (request.method.toUpperCase() !== 'GET' || request.query['hub.mode'] === undefined) return undefined;
  const expected = context.settings.get(META_VERIFY_TOKEN);
  if (expected === undefined) throw new NotConfiguredError(request.platform, [META_VERIFY_TOKEN]);
  const challenge = request.query['hub.challenge'];
  if (request.query['hub.mode'] !== 'subscribe' || challenge === undefined || challenge === '') {
    return { status: 400, body: { error: 'expected hub.mode=subscribe with a hub.challenge' } };
  }
  if (!safeEqual(request.query['hub.verify_token'] ?? '', expected)) {
    return { status: 403, body: { error: 'hub.verify_token does not match FOGHORN_META_VERIFY_TOKEN' } };
  }
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: challenge };
}
