import { credential } from '../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../core/http.js';
import type { Settings } from '../core/settings.js';
import type { Escalation } from './escalation.js';
import { interpretAlertingResponse, jsonBody } from './responses.js';
import type { EscalationTarget } from './target-config.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
const SEVERITY = { low: 'info', medium: 'warning', high: 'error', critical: 'critical' } as const;

type PagerDutyTarget = Extract<EscalationTarget, { type: 'pagerduty' }>;

/**
 * Events API v2: `trigger` with the incident as dedup_key (a repeat within the incident joins the open
 * alert instead of paging again), `resolve` with the same key when the incident ends.
 */
export function buildPagerDutyRequest(escalation: Escalation, target: PagerDutyTarget, settings: Settings): OutboundRequest {
  const base = { routing_key: credential(settings, target.routingKey), dedup_key: escalation.incident };
  const body = escalation.resolve
    ? { ...base, event_action: 'resolve' }
    : {
        ...base,
        event_action: 'trigger',
        payload: {
          summary: escalation.summary.slice(0, 1024),
          source: `foghorn/${escalation.event.platform}`,
          severity: SEVERITY[escalation.severity],
          timestamp: escalation.event.at,
          component: escalation.event.platform,
          group: escalation.ruleId,
          class: escalation.event.kind,
          custom_details: {
            rule: escalation.ruleId,
            text: escalation.event.text,
            author: escalation.event.author,
            event: escalation.event.id,
            ...(escalation.count === undefined ? {} : { count: escalation.count }),
            ...(escalation.windowMinutes === undefined ? {} : { window_minutes: escalation.windowMinutes }),
            ...(escalation.baseline === undefined ? {} : { baseline: escalation.baseline }),
            ...(escalation.samples
              ? {
                  samples: escalation.samples.map((sample) => ({
                    author: sample.author,
                    text: sample.text,
                    at: sample.at,
                    platform: sample.platform,
                    ...(sample.link ? { link: sample.link } : {}),
                    foghorn: sample.foghornLink,
                  })),
                }
              : {}),
          },
        },
        client: 'Foghorn',
        client_url: escalation.foghornLink,
        links: escalation.samples
          ? escalation.samples.map((sample) => ({
              href: sample.link ?? sample.foghornLink,
              text: `${sample.author}: ${sample.text.slice(0, 80)}`,
            }))
          : [
              ...(escalation.event.link ? [{ href: escalation.event.link, text: 'On the platform' }] : []),
              { href: escalation.foghornLink, text: 'In Foghorn' },
            ],
      };
  return {
    method: 'POST',
    url: target.url ?? PAGERDUTY_EVENTS_URL,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/** 202 `{status:"success", dedup_key}`; 400 is a malformed event (permanent); 429 and 5xx are retried. */
export function interpretPagerDutyResponse(response: OutboundResponse, now: Date): { externalId?: string } {
  interpretAlertingResponse('pagerduty', response, now);
  const key = jsonBody(response)?.dedup_key;
  return typeof key === 'string' ? { externalId: key } : {};
}
