import { readFileSync } from 'node:fs';
import type { ConnectorContext } from '../../../functions/core/connector.js';
import type { InboundRequest } from '../../../functions/core/http.js';
import { settingsFrom } from '../../../functions/core/settings.js';

/** The secret key the fixtures carry (set in the community's Callback API settings). */
export const SECRET = 'aaQ13axAPQEcczQa';
export const CONFIRMATION = '4d2f1b8e';
export const NOW = new Date('2023-11-14T22:20:00.000Z');

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

/** A fixture with fields replaced (or removed when the value is undefined). */
export function fixtureWith(name: string, changes: Record<string, unknown>): Buffer {
  const body = JSON.parse(fixture(name).toString('utf8')) as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete body[key];
    else body[key] = value;
  }
  return Buffer.from(JSON.stringify(body));
}

export function context(values: Record<string, string> = {}): ConnectorContext {
  return {
    settings: settingsFrom({
      FOGHORN_VK_SECRET: SECRET,
      FOGHORN_VK_CONFIRMATION: CONFIRMATION,
      FOGHORN_VK_GROUP_ID: '183513233',
      ...values,
    }),
    now: NOW,
  };
}

export function vkDelivery(rawBody: Buffer): InboundRequest {
  return {
    method: 'POST',
    platform: 'vk',
    headers: { 'content-type': 'application/json' },
    query: {},
    rawBody,
    receivedAt: new Date('2023-11-14T22:13:21.000Z'),
  };
}
