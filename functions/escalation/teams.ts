import { credential } from '../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../core/http.js';
import type { Settings } from '../core/settings.js';
import { countLine, type Escalation, sampleLine } from './escalation.js';
import { interpretAlertingResponse } from './responses.js';
import type { EscalationTarget } from './target-config.js';
import { consoleLink } from './ticket-wire.js';

type TeamsTarget = Extract<EscalationTarget, { type: 'teams' }>;

const text = (value: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text: value, wrap: true, ...extra });

/**
 * Microsoft Teams, an incoming webhook or a Workflows "when a Teams webhook request is received" URL
 * (learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook): a `message`
 * carrying one Adaptive Card. The URL is the secret. Teams keeps no deduplication key, so an ambiguous call is held.
 */
export function buildTeamsRequest(escalation: Escalation, target: TeamsTarget, settings: Settings): OutboundRequest {
  const head = escalation.resolve
    ? [text(`✅ Resolved: ${escalation.summary}`, { weight: 'Bolder', size: 'Medium' })]
    : [
        text(`🚨 [${escalation.severity.toUpperCase()}] ${escalation.summary}`, { weight: 'Bolder', size: 'Medium' }),
        text(`Rule ${escalation.ruleId}${countLine(escalation) ? ` · ${countLine(escalation)}` : ''}`, { isSubtle: true, spacing: 'None' }),
      ];
  const body = escalation.resolve
    ? []
    : escalation.samples
      ? escalation.samples.map((sample) => text(sampleLine(sample)))
      : [
          text(`${escalation.event.author} on ${escalation.event.platform} (${escalation.event.kind}) at ${escalation.event.at}:`),
          // Adaptive Card text is markdown: the customer's words are quoted as they are, never as markup.
          text(escalation.event.text.replace(/([\\`*_[\]])/g, '\\$1')),
        ];
  const actions = [
    ...(escalation.event.link && !escalation.samples
      ? [{ type: 'Action.OpenUrl', title: 'On the platform', url: escalation.event.link }]
      : []),
    { type: 'Action.OpenUrl', title: 'In Foghorn', url: consoleLink(escalation) },
  ];
  return {
    method: 'POST',
    url: credential(settings, target.url),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [...head, ...body],
            actions,
          },
        },
      ],
    }),
  };
}

/** 200 (incoming webhook, body `1`) or 202 (Workflows); 429 with Retry-After and 5xx are retried, other 4xx refused. */
export function interpretTeamsResponse(response: OutboundResponse, now: Date): { externalId?: string } {
  interpretAlertingResponse('teams', response, now);
  return {};
}
