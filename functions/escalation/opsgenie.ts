import { credential } from '../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../core/http.js';
import type { Settings } from '../core/settings.js';
import { digestText, type Escalation, sampleLine } from './escalation.js';
import { interpretAlertingResponse, jsonBody } from './responses.js';
import type { EscalationTarget } from './target-config.js';

/** Opsgenie's API by region; a target's `url` replaces it. */
export const OPSGENIE_API = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' } as const;
const PRIORITY = { low: 'P4', medium: 'P3', high: 'P2', critical: 'P1' } as const;

type OpsgenieTarget = Extract<EscalationTarget, { type: 'opsgenie' }>;

/**
 * Alert API v2: create with the incident as `alias` (Opsgenie keeps one open alert per alias, so a
 * repeat does not notify twice), close by alias when the incident ends.
 */
export function buildOpsgenieRequest(escalation: Escalation, target: OpsgenieTarget, settings: Settings): OutboundRequest {
  const base = (target.url ?? OPSGENIE_API[target.region]).replace(/\/+$/, '');
  const headers = { 'content-type': 'application/json', authorization: `GenieKey ${credential(settings, target.apiKey)}` };
  if (escalation.resolve) {
    return {
      method: 'POST',
      headers,
      url: `${base}/v2/alerts/${encodeURIComponent(escalation.incident)}/close?identifierType=alias`,
      body: JSON.stringify({ source: 'Foghorn', note: escalation.summary.slice(0, 25_000) }),
    };
  }
  return {
    method: 'POST',
    headers,
    url: `${base}/v2/alerts`,
    body: JSON.stringify({
      message: escalation.summary.slice(0, 130),
      alias: escalation.incident,
      description: digestText(escalation).slice(0, 15_000),
      priority: PRIORITY[escalation.severity],
      source: 'Foghorn',
      entity: escalation.event.platform,
      tags: ['foghorn', escalation.ruleId],
      details: {
        rule: escalation.ruleId,
        event: escalation.event.id,
        author: escalation.event.author,
        foghorn: escalation.foghornLink,
        ...(escalation.event.link ? { link: escalation.event.link } : {}),
        ...(escalation.count === undefined ? {} : { count: String(escalation.count) }),
        ...(escalation.windowMinutes === undefined ? {} : { window: `${escalation.windowMinutes} min` }),
        ...(escalation.baseline === undefined ? {} : { baseline: escalation.baseline.toFixed(1) }),
        // Details are string to string: one entry per sample, newest first.
        ...Object.fromEntries(
          (escalation.samples ?? []).map((sample, index) => [`sample ${index + 1}`, sampleLine(sample).slice(2, 1_000)]),
        ),
      },
      ...(target.responders ? { responders: target.responders } : {}),
    }),
  };
}

/** 202 `{result, requestId}` (processed asynchronously); 429 and 5xx are retried; other 4xx are permanent. */
export function interpretOpsgenieResponse(response: OutboundResponse, now: Date): { externalId?: string } {
  interpretAlertingResponse('opsgenie', response, now);
  const requestId = jsonBody(response)?.requestId;
  return typeof requestId === 'string' ? { externalId: requestId } : {};
}
