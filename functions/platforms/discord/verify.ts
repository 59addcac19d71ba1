import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { FoghornError, SignatureError } from '../../core/errors.js';
import type { InboundRequest } from '../../core/http.js';
import { DISCORD_PUBLIC_KEY } from './settings.js';

export const DISCORD_SIGNATURE_HEADER = 'x-signature-ed25519';
export const DISCORD_TIMESTAMP_HEADER = 'x-signature-timestamp';
/** A signed request older or newer than this is refused as a possible replay (Slack's window; Discord sends at once). */
export const DISCORD_MAX_SKEW_SECONDS = 5 * 60;

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map<string, KeyObject>();

/** The application's public key, as node:crypto wants it (the portal shows it as 64 hex characters). */
export function discordPublicKey(hex: string): KeyObject {
  const cached = keys.get(hex);
  if (cached) return cached;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new FoghornError(`${DISCORD_PUBLIC_KEY} must be the application's public key: 64 hex characters`, { status: 503 });
  }
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
  keys.set(hex, key);
  return key;
}

/**
 * Ed25519 signature (`X-Signature-Ed25519`) over the timestamp header followed by the raw body, and a timestamp
 * within DISCORD_MAX_SKEW_SECONDS of `now` (when the request was received, unless told).
 */
export function verifyDiscord(request: InboundRequest, publicKeyHex: string, now: Date = request.receivedAt): void {
  const signature = request.headers[DISCORD_SIGNATURE_HEADER];
  const timestamp = request.headers[DISCORD_TIMESTAMP_HEADER];
  if (!signature) throw new SignatureError(`missing ${DISCORD_SIGNATURE_HEADER} header`);
  if (!timestamp) throw new SignatureError(`missing ${DISCORD_TIMESTAMP_HEADER} header`);
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) throw new SignatureError(`${DISCORD_SIGNATURE_HEADER} must be 128 hex characters`);
  if (!/^\d{1,12}$/.test(timestamp))
    throw new SignatureError(`${DISCORD_TIMESTAMP_HEADER} must be Unix seconds`, { got: timestamp.slice(0, 20) });
  const skewSeconds = Math.round(now.getTime() / 1000 - Number(timestamp));
  if (Math.abs(skewSeconds) > DISCORD_MAX_SKEW_SECONDS) {
    throw new SignatureError(
      `${DISCORD_TIMESTAMP_HEADER} is ${skewSeconds} s away from now; more than ${DISCORD_MAX_SKEW_SECONDS} s is refused as a possible replay`,
      { skewSeconds },
    );
  }
  const message = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.rawBody]);
  if (!verify(null, message, discordPublicKey(publicKeyHex), Buffer.from(signature, 'hex'))) {
    throw new SignatureError(`${DISCORD_SIGNATURE_HEADER} does not match the body`);
  }
}
