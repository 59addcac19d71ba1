import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ActionCommand, actionCommandId } from '../../../functions/core/action-command.js';
import type { ConnectorContext } from '../../../functions/core/connector.js';
import type { CanonicalEvent } from '../../../functions/core/event.js';
import type { InboundRequest } from '../../../functions/core/http.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { linkedInConnector } from '../../../functions/platforms/linkedin/index.js';

/** Fixtures: fixtures/README.md says, per file, which documented page or recorded delivery each shape comes from. */
export const CLIENT_SECRET = 'WPL_AP1.s3cr3tV4lu3.xY9zQ==';
export const ACCESS_TOKEN = 'AQXdSP_W41_b8-long-member-access-token-0123456789';
export const ORGANIZATION_ID = '2414183';
export const NOW = new Date('2023-11-14T22:30:00.000Z');

export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixture(name: string): Buffer {
  return Buffer.from(fixtureText(name));
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** LinkedIn's signature: lowercase hex HMAC-SHA256 of `hmacsha256=` followed by the raw body. */
export function signature(body: Buffer, secret = CLIENT_SECRET): string {
  return createHmac('sha256', secret).update('hmacsha256=').update(body).digest('hex');
}

export function settingsOf(values: Record<string, string> = {}) {
  return settingsFrom({ FOGHORN_LINKEDIN_CLIENT_SECRET: CLIENT_SECRET, FOGHORN_LINKEDIN_ORGANIZATION_ID: ORGANIZATION_ID, ...values });
}

export function context(values: Record<string, string> = {}): ConnectorContext {
  return { settings: settingsOf(values), now: NOW };
}

export function delivery(rawBody: Buffer, headers: Record<string, string> = { 'x-li-signature': signature(rawBody) }): InboundRequest {
  return {
    method: 'POST',
    platform: 'linkedin',
    headers: { 'content-type': 'application/json', ...headers },
    query: {},
    rawBody,
    receivedAt: new Date('2023-11-14T22:20:01.000Z'),
  };
}

export function challenge(query: Record<string, string>): InboundRequest {
  return { method: 'GET', platform: 'linkedin', headers: {}, query, rawBody: Buffer.alloc(0), receivedAt: NOW };
}

export function eventFrom(name: string, index = 0): CanonicalEvent {
  const event = linkedInConnector.normalise(delivery(fixture(name)), context()).events[index];
  if (!event) throw new Error(`fixture ${name} gave no event ${index}`);
  return event;
}

export function replyCommand(event: CanonicalEvent, text: string, createdAt = '2023-11-14T22:29:00.000Z'): ActionCommand {
  return {
    id: actionCommandId(event.id, 'faq', 0),
    eventId: event.id,
    ruleId: 'faq',
    index: 0,
    type: 'reply',
    params: { text },
    event,
    createdAt,
  };
}
