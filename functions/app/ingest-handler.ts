import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { HttpResponse, InboundRequest } from '../core/http.js';
import { handleWebhook, type IngestDependencies } from '../core/ingest.js';
import { type Provided, resolveProvided } from '../core/provided.js';
import { HELPDESK_WEBHOOKS, isHelpdeskWebhook, receiveHelpdeskWebhook } from '../escalation/helpdesk-webhooks.js';
import { connectorFor, connectors } from '../platforms/index.js';
import type { Adapters } from './adapters.js';
import { METRIC_NAMES } from './app-metrics.js';
import { emitEvent } from './emit-event.js';
import { stage } from './stage.js';
import { topology } from './topology.js';

/** API Gateway HTTP API (payload v2) → the ingest core → an HTTP answer. */
export function createIngestHandler(
  dependencies: Provided<IngestDependencies>,
  onAnswered: (request: InboundRequest, response: HttpResponse) => void = () => {},
): (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2> {
  return async (event) => {
    const deps = await resolveProvided(dependencies);
    const request = toInboundRequest(event, deps.clock.now());
    const response = await handleWebhook(request, deps);
    onAnswered(request, response);
    return toApiGatewayResult(response);
  };
}

export function toInboundRequest(event: APIGatewayProxyEventV2, receivedAt: Date): InboundRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query[name] = value;
  }
  const body = event.body ?? '';
  return {
    method: event.requestContext.http.method.toUpperCase(),
    platform: webhookPlatform(event),
    headers,
    query,
    rawBody: event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
    receivedAt,
  };
}

/**
 * The platform a delivery is for: the `{platform}` path parameter, or on AWS, where each platform has a route of
 * its own (`POST /webhooks/slack`), the route's last segment.
 */
export function webhookPlatform(event: Pick<APIGatewayProxyEventV2, 'pathParameters' | 'routeKey'>): string {
  const parameter = event.pathParameters?.platform;
  if (parameter !== undefined) return parameter;
  return /^[A-Z]+ \/webhooks\/([^/{}]+)$/.exec(event.routeKey ?? '')?.[1] ?? '';
}

export function toApiGatewayResult(response: HttpResponse): APIGatewayProxyResultV2 {
  const isText = typeof response.body === 'string';
  return {
    statusCode: response.status,
    headers: { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json', ...response.headers },
    body: response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body),
  };
}

/** A delivery's platform (only a registered one: the path is the sender's to choose) and whether it was accepted. */
export function webhookDimensions(request: InboundRequest, response: HttpResponse): { platform: string; outcome: 'accepted' | 'refused' } {
  return {
    platform: Object.hasOwn(connectors, request.platform) ? request.platform : 'unknown',
    outcome: response.status >= 200 && response.status < 300 ? 'accepted' : 'refused',
  };
}

/**
 * The ingest stage: every registered platform's webhooks, stored once in the event store and published on the bus;
 * and the helpdesks' own webhooks (`/webhooks/zendesk`, `/webhooks/jira`), whose solved tickets come back as
 * `ticket.solved` events in the conversation that opened them.
 */
export function ingestStage(adapters: Provided<Adapters>): (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2> {
  return stage(adapters, (wired) => {
    const platforms = createIngestHandler(
      {
        connectorFor,
        knownPlatforms: () => [...Object.keys(connectors), ...Object.keys(HELPDESK_WEBHOOKS)],
        settings: wired.settings,
        store: wired.events,
        publisher: wired.bus,
        clock: wired.clock,
        maxBodyBytes: topology.maxBodyBytes,
        onError: (error, request) => wired.logger.error('ingest failed', { platform: request.platform, error }),
        onAlert: (alert, request) => wired.logger.error('platform alert', { platform: request.platform, alert }),
      },
      (request, response) => wired.metrics?.count(METRIC_NAMES.webhooks, webhookDimensions(request, response)),
    );
    const helpdesks = async (event: APIGatewayProxyEventV2) =>
      toApiGatewayResult(
        await receiveHelpdeskWebhook(toInboundRequest(event, wired.clock.now()), {
          tickets: wired.crisisStores.tickets,
          settings: wired.settings,
          clock: wired.clock,
          maxBodyBytes: topology.maxBodyBytes,
          emit: (solved) => emitEvent(wired, solved),
          onError: (error, request) => wired.logger.error('helpdesk webhook failed', { platform: request.platform, error }),
        }),
      );
    return (event) => (isHelpdeskWebhook(webhookPlatform(event)) ? helpdesks(event) : platforms(event));
  });
}
