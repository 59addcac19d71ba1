import type { ConnectorContext } from '../../core/connector.js';
import { NotConfiguredError, SignatureError } from '../../core/errors.js';
import type { InboundRequest } from '../../core/http.js';
import { hmacSha256, safeEqual } from '../shared/hmac.js';
import { META_APP_SECRET } from './settings.js';

const SIGNATURE_HEADER = 'x-hub-signature-256';
const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;

/** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body under the app secret>`, checked in constant time. */
export function verifyMetaSignature(request: InboundRequest, context: ConnectorContext): void {
  const secret = context.settings.get(META_APP_SECRET);
  if (secret === undefined) throw new NotConfiguredError(request.platform, [META_APP_SECRET]);
  const header = request.headers[SIGNATURE_HEADER];
  if (header === undefined) throw new SignatureError(`missing ${SIGNATURE_HEADER} header`);
  const match = SIGNATURE_FORMAT.exec(header.trim());
  if (!match?.[1]) throw new SignatureError(`${SIGNATURE_HEADER} is not 'sha256=<64 hex digits>'`);
  const given = Buffer.from(match[1], 'hex');
  if (!safeEqual(given, hmacSha256(secret, request.rawBody))) {
    throw new SignatureError(`${SIGNATURE_HEADER} does not match the body`);
  }
}
