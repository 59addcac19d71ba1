import { SignatureError } from '../../core/errors.js';
import type { InboundRequest } from '../../core/http.js';
import { hmacSha256, safeEqual } from '../shared/hmac.js';

export const SIGNATURE_HEADER = 'x-foghorn-signature';
const PREFIX = 'sha256=';

/** `X-Foghorn-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. */
export function signGeneric(secret: string, body: Buffer | string): string {
  return PREFIX + hmacSha256(secret, body).toString('hex');
}

export function verifyGeneric(request: InboundRequest, secret: string): void {
  const header = request.headers[SIGNATURE_HEADER];
  if (!header) throw new SignatureError(`missing ${SIGNATURE_HEADER} header`);
  if (!header.startsWith(PREFIX)) throw new SignatureError(`${SIGNATURE_HEADER} must look like sha256=<hex>`);
  const expected = Buffer.from(signGeneric(secret, request.rawBody), 'utf8');
  if (!safeEqual(Buffer.from(header.trim().toLowerCase(), 'utf8'), expected))
    throw new SignatureError(`${SIGNATURE_HEADER} does not match the body`);
}
