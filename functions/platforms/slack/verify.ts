import { SignatureError } from '../../core/errors.js';
import type { InboundRequest } from '../../core/http.js';
import { hmacSha256, safeEqual } from '../shared/hmac.js';

export const SLACK_SIGNATURE_HEADER = 'x-slack-signature';
export const SLACK_TIMESTAMP_HEADER = 'x-slack-request-timestamp';
/** Slack's guidance: refuse requests whose timestamp is more than five minutes away, so a captured one cannot be replayed. */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

/** `v0=<hex HMAC-SHA256 of "v0:{timestamp}:{raw body}">` under the app's signing secret. */
export function signSlack(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const base = Buffer.concat([Buffer.from(`v0:${timestamp}:`, 'utf8'), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8')]);
  return `v0=${hmacSha256(secret, base).toString('hex')}`;
}

export function verifySlack(request: InboundRequest, secret: string, now: Date): void {
  const signature = request.headers[SLACK_SIGNATURE_HEADER];
  const timestamp = request.headers[SLACK_TIMESTAMP_HEADER];
  if (!signature) throw new SignatureError(`missing ${SLACK_SIGNATURE_HEADER} header`);
  if (!timestamp) throw new SignatureError(`missing ${SLACK_TIMESTAMP_HEADER} header`);
  if (!/^\d{1,12}$/.test(timestamp))
    throw new SignatureError(`${SLACK_TIMESTAMP_HEADER} must be Unix seconds`, { got: timestamp.slice(0, 20) });
  const skewSeconds = Math.round(now.getTime() / 1000 - Number(timestamp));
  if (Math.abs(skewSeconds) > SLACK_MAX_SKEW_SECONDS) {
    throw new SignatureError(
      `request timestamp is ${skewSeconds} s away from now; more than ${SLACK_MAX_SKEW_SECONDS} s is refused as a possible replay`,
      { skewSeconds },
    );
  }
  if (!safeEqual(signature.trim(), signSlack(secret, timestamp, request.rawBody))) {
    throw new SignatureError(`${SLACK_SIGNATURE_HEADER} does not match the body`);
  }
}
