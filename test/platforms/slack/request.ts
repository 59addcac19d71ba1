import { readFileSync } from 'node:fs';
import type { ConnectorContext } from '../../../functions/core/connector.js';
import type { InboundRequest } from '../../../functions/core/http.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { signSlack } from '../../../functions/platforms/slack/verify.js';

export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
/** Slack's timestamp for the signed test deliveries; `context.now` sits ten seconds later. */
export const TIMESTAMP = 1_700_000_200;

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

export function context(values: Record<string, string> = {}, now = new Date((TIMESTAMP + 10) * 1000)): ConnectorContext {
  return { settings: settingsFrom({ FOGHORN_SLACK_SIGNING_SECRET: SIGNING_SECRET, ...values }), now };
}

/** A delivery as Slack sends it, signed with the test secret unless `headers` overrides the signature. */
export function slackDelivery(rawBody: Buffer, headers: Record<string, string> = {}, timestamp = TIMESTAMP): InboundRequest {
  return {
    method: 'POST',
    platform: 'slack',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlack(SIGNING_SECRET, String(timestamp), rawBody),
      ...headers,
    },
    query: {},
    rawBody,
    receivedAt: new Date((TIMESTAMP + 11) * 1000),
  };
}
