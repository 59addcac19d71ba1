import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectorContext } from '../../../functions/core/connector.js';
import type { InboundRequest } from '../../../functions/core/http.js';
import { settingsFrom } from '../../../functions/core/settings.js';

/** A test application key pair; the connector is configured with the public half, as the portal shows it (hex). */
export const keys = generateKeyPairSync('ed25519');
export const PUBLIC_KEY_HEX = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
export const TIMESTAMP = '1701460250';
/** Two minutes after the slash command's snowflake time (2023-12-01T19:50:48.682Z). */
export const NOW = new Date('2023-12-01T19:52:48.682Z');

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

export function context(values: Record<string, string> = {}, now = NOW): ConnectorContext {
  return { settings: settingsFrom({ FOGHORN_DISCORD_PUBLIC_KEY: PUBLIC_KEY_HEX, ...values }), now };
}

export function signDiscord(privateKey: typeof keys.privateKey, timestamp: string, rawBody: Buffer): string {
  return sign(null, Buffer.concat([Buffer.from(timestamp), rawBody]), privateKey).toString('hex');
}

/** An interaction as Discord POSTs it, signed with the test key unless `headers` overrides. */
export function discordDelivery(rawBody: Buffer, headers: Record<string, string> = {}): InboundRequest {
  return {
    method: 'POST',
    platform: 'discord',
    headers: {
      'content-type': 'application/json',
      'x-signature-timestamp': TIMESTAMP,
      'x-signature-ed25519': signDiscord(keys.privateKey, TIMESTAMP, rawBody),
      ...headers,
    },
    query: {},
    rawBody,
    receivedAt: new Date('2023-12-01T19:50:49.000Z'),
  };
}
