import { credential } from '../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../core/http.js';
import type { Settings } from '../core/settings.js';
import { interpretSlackResponse } from '../platforms/slack/client.js';
import { countLine, digestText, type Escalation, type EscalationEvent } from './escalation.js';
import { interpretAlertingResponse } from './responses.js';
import type { EscalationTarget } from './target-config.js';

export const SLACK_API_URL = 'https://slack.com/api';

type WebhookTarget = Extract<EscalationTarget, { type: 'slack-webhook' }>;
type ChannelTarget = Extract<EscalationTarget, { type: 'slack-channel' }>;

/** An incoming webhook: the URL itself is the secret, so it lives in a setting. */
export function buildSlackWebhookRequest(escalation: Escalation, target: WebhookTarget, settings: Settings): OutboundRequest {
  return {
    method: 'POST',
    url: credential(settings, target.url),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: slackText(escalation), blocks: slackBlocks(escalation) }),
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
    method: 'POST',
    url: `${(target.url ?? SLACK_API_URL).replace(/\/+$/, '')}/chat.postMessage`,
    headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${credential(settings, target.token)}` },
    body: JSON.stringify({ channel: target.channel, text: slackText(escalation), blocks: slackBlocks(escalation), unfurl_links: false }),
  };
}

/** Slack's Web API reading, shared with the Slack connector (200 + ok:false, 429 + Retry-After). */
export function interpretSlackChannelResponse(response: OutboundResponse): { externalId?: string } {
  return interpretSlackResponse(response);
}

/** Slack mrkdwn treats &, < and > as control characters: user text is escaped so it can never form a link or mention. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The top-level `text` (notifications, clients without blocks): Slack parses it as mrkdwn too, so it is escaped
 * whole, like the blocks. Plain URLs in it are still linked by Slack.
 */
function slackText(escalation: Escalation): string {
  return escapeMrkdwn(digestText(escalation));
}

function mrkdwn(text: string) {
  // A section's text holds at most 3000 characters.
  return { type: 'mrkdwn', text: text.length > 3000 ? `${text.slice(0, 2999)}…` : text };
}

function eventSection(event: EscalationEvent, foghornLink: string) {
  const author = event.link ? `<${event.link}|${escapeMrkdwn(event.author)}>` : `*${escapeMrkdwn(event.author)}*`;
  const quoted = escapeMrkdwn(event.text)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
  return [
    {
      type: 'section',
      text: mrkdwn(`${author} · ${escapeMrkdwn(event.platform)} ${escapeMrkdwn(event.kind)} · ${escapeMrkdwn(event.at)}\n${quoted}`),
    },
    { type: 'context', elements: [mrkdwn(`<${foghornLink}|In Foghorn>${event.link ? ` · <${event.link}|On the platform>` : ''}`)] },
  ];
}

/** The digest as Block Kit: what happened, the rule and counts, then each event with its links. */
export function slackBlocks(escalation: Escalation): unknown[] {
  if (escalation.resolve) {
    return [
      {
        type: 'section',
        text: mrkdwn(
          `:white_check_mark: *Resolved* · ${escapeMrkdwn(escalation.summary)}\nIncident: \`${escapeMrkdwn(escalation.incident)}\``,
        ),
      },
    ];
  }
  const counts = countLine(escalation);
  const blocks: unknown[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `🚨 ${escalation.severity.toUpperCase()}: ${escalation.summary}`.slice(0, 150), emoji: true },
    },
    {
      type: 'section',
      text: mrkdwn(`Rule \`${escapeMrkdwn(escalation.ruleId)}\`${counts === undefined ? '' : ` · ${escapeMrkdwn(counts)}`}`),
    },
  ];
  if (escalation.samples) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`The latest ${escalation.samples.length}${escalation.count === undefined ? '' : ` of ${escalation.count}`}:`)],
    });
    for (const sample of escalation.samples) blocks.push(...eventSection(sample, sample.foghornLink));
  } else {
    blocks.push(...eventSection(escalation.event, escalation.foghornLink));
  }
  blocks.push({ type: 'context', elements: [mrkdwn(`Incident \`${escapeMrkdwn(escalation.incident)}\``)] });
  return blocks;
}
