import type { Settings } from '../core/config.js';
import type { OutboundRequest, OutboundResponse } from '../core/http.js';
import { credential } from '../platforms/connector.js';
import { interpretSlackResponse } from '../platforms/slack/client.js';
import { digestText, type Escalation } from './escalation.js';
import { interpretAlertingResponse } from './responses.js';
import type { EscalationTarget } from './target-config.js';

const SLACK_API = 'https://slack.com/api';

type WebhookTarget = Extract<EscalationTarget, { type: 'slack-webhook' }>;
type ChannelTarget = Extract<EscalationTarget, { type: 'slack-channel' }>;

/** An incoming webhook: the URL itself is the secret, so it lives in a setting. */
export function buildSlackWebhookRequest(escalation: Escalation, target: WebhookTarget, settings: Settings): OutboundRequest {
  return {
    method: 'POST', url: credential(settings, target.url), headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: digestText(escalation) }),
  };
}

/** Webhooks answer 200 `ok`, or 4xx with a plain-text code (invalid_payload, channel_not_found, …), or 429. */
export function interpretSlackWebhookResponse(response: OutboundResponse, now: Date): { externalId?: string } {
  interpretAlertingResponse('slack webhook', response, now);
  return {};
}

/** chat.postMessage with the bot token, into the configured channel. */
export function buildSlackChannelRequest(escalation: Escalation, target: ChannelTarget, settings: Settings): OutboundRequest {
  return {
    method: 'POST', url: `${(target.url ?? SLACK_API).replace(/\/+$/, '')}/chat.postMessage`,
    headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${credential(settings, target.token)}` },
    body: JSON.stringify({ channel: target.channel, text: digestText(escalation), unfurl_links: false }),
  };
}

/** Slack's Web API reading, shared with the Slack connector (200 + ok:false, 429 + Retry-After). */
export function interpretSlackChannelResponse(response: OutboundResponse): { externalId?: string } {
  return interpretSlackResponse(response);
}
