import type { ConnectorContext } from '../../core/connector.js';
import { NotConfiguredError, SignatureError } from '../../core/errors.js';
import type { HttpResponse, InboundRequest } from '../../core/http.js';
import { hmacSha256, safeEqual } from '../shared/hmac.js';

export const X_CONSUMER_SECRET = 'FOGHORN_X_CONSUMER_SECRET';
const SIGNATURE_HEADER = 'x-twitter-webhooks-signature';
const SIGNATURE_FORMAT = /^sha256=([A-Za-z0-9+/]{43}=)$/;

/** `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256 of the raw body under the consumer secret>`. */
export function verifyXSignature(request: InboundRequest, context: ConnectorContext): void {
  const secret = consumerSecret(request, context);
  const header = request.headers[SIGNATURE_HEADER];
  if (header === undefined) throw new SignatureError(`missing ${SIGNATURE_HEADER} header`);
  const match = SIGNATURE_FORMAT.exec(header.trim());
  if (!match?.[1]) throw new SignatureError(`${SIGNATURE_HEADER} is not 'sha256=<base64 digest>'`);
  const given = Buffer.from(match[1], 'base64');
  if (!safeEqual(given, hmacSha256(secret, request.rawBody))) {
    throw new SignatureError(`${SIGNATURE_HEADER} does not match the body`);
  }
}

/**
 * The Challenge-Response Check: `GET ?crc_token=…` is answered with
 * `{"response_token": "sha256=<base64 HMAC-SHA256 of the token under the consumer secret>"}`.
 */
export function answerXCrc(request: InboundRequest, context: ConnectorContext): HttpResponse | undefined {
  const token = request.query.crc_token;
  if (request.method.toUpperCase() !== 'GET' || token === undefined) return undefined;
  if (token === '') return { status: 400, body: { error: 'crc_token is empty' } };
  const digest = hmacSha256(consumerSecret(request, context), token).toString('base64');
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { response_token: `sha256=${digest}` } };
}

function consumerSecret(request: InboundRequest, context: ConnectorContext): string {
  const secret = context.settings.get(X_CONSUMER_SECRET);
  if (secret === undefined) throw new NotConfiguredError(request.platform, [X_CONSUMER_SECRET]);
  return secret;
}
