import type { ConnectorContext } from '../../core/connector.js';
import { NotConfiguredError, SignatureError } from '../../core/errors.js';
import type { HttpResponse, InboundRequest } from '../../core/http.js';
import { hmacSha256, safeEqual } from '../shared/hmac.js';
import { LINKEDIN_CLIENT_SECRET } from './settings.js';

const SIGNATURE_HEADER = 'x-li-signature';
/** The digest alone, as LinkedIn sends it; a `hmacsha256=` in front (the signed string's prefix) is tolerated. */
const SIGNATURE_FORMAT = /^(?:hmacsha256=)?([0-9a-f]{64})$/i;
/** LinkedIn signs this literal followed by the raw body (learn.microsoft.com/linkedin/shared/api-guide/webhook-validation). */
const SIGNED_PREFIX = Buffer.from('hmacsha256=', 'utf8');

/**
 * LinkedIn's endpoint validation: `GET ?challengeCode=<uuid>[&applicationId=…]`, answered within 3 seconds with
 * `{challengeCode, challengeResponse: hex(HMAC-SHA256(challengeCode, clientSecret))}` as JSON. LinkedIn repeats it
 * every 2 hours; three failures in a row block the webhook. Any other request is not a handshake.
 */
export function answerLinkedInChallenge(request: InboundRequest, context: ConnectorContext): HttpResponse | undefined {
  if (request.method.toUpperCase() !== 'GET') return undefined;
  const challengeCode = request.query.challengeCode;
  if (challengeCode === undefined || challengeCode === '') {
    return { status: 400, body: { error: 'a LinkedIn validation request carries the query parameter `challengeCode`' } };
  }
  const secret = clientSecret(request, context);
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: { challengeCode, challengeResponse: hmacSha256(secret, challengeCode).toString('hex') },
  };
}

/** `X-LI-Signature: <hex HMAC-SHA256 of "hmacsha256=" + the raw body, under the client secret>`, in constant time. */
export function verifyLinkedInSignature(request: InboundRequest, context: ConnectorContext): void {
  const secret = clientSecret(request, context);
  const header = request.headers[SIGNATURE_HEADER];
  if (header === undefined) throw new SignatureError(`missing ${SIGNATURE_HEADER} header`);
  const match = SIGNATURE_FORMAT.exec(header.trim());
  if (!match?.[1]) throw new SignatureError(`${SIGNATURE_HEADER} is not 64 hex digits`);
  const expected = hmacSha256(secret, Buffer.concat([SIGNED_PREFIX, request.rawBody]));
  if (!safeEqual(Buffer.from(match[1], 'hex'), expected)) throw new SignatureError(`${SIGNATURE_HEADER} does not match the body`);
}

function clientSecret(request: InboundRequest, context: ConnectorContext): string {
  const secret = context.settings.get(LINKEDIN_CLIENT_SECRET);
  if (secret === undefined) throw new NotConfiguredError(request.platform, [LINKEDIN_CLIENT_SECRET]);
  return secret;
}
