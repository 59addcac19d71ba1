import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Provided, resolveProvided } from '../core/provided.js';
import type { ApiRoute } from '../crisis/crisis-api-routes.js';
import type { Adapters } from './adapters.js';
import { analyticsSourcesOf } from './analytics-recording.js';
import { consoleReadsOf, foghornApiRoutes } from './api-routes.js';
import { assignmentRouteSources } from './assignments-of.js';
import { crisisKitOf } from './crisis-kit-of.js';
import { capListing, readPageCursor } from './listing-size-cap.js';
import { awsOpenApiRoute } from './openapi.js';
import { scheduledPostsOf } from './scheduled-posts-of.js';
import { stage } from './stage.js';

export interface ApiHandlerDependencies {
  routes: readonly ApiRoute[];
  /** Called with an unexpected failure; the caller gets a 500 that names no internals. */
  onError?(error: unknown, routeKey: string): void;
  /** A listing's body is cut to this many bytes, with a `next` to continue (MAX_LISTING_BODY_BYTES by default). */
  maxListingBytes?: number;
}

/** The IAM principal API Gateway verified (SigV4), when the route is IAM-authorised. */
export function callerOf(event: APIGatewayProxyEventV2): string | undefined {
  const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer?.iam;
  return iam?.userArn;
}

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

/** HTTP API hands headers over in lower case already; a test or another proxy may not. */
function lowerCased(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/**
 * API Gateway (HTTP API, payload 2.0) in front of the shared route handlers: API Gateway has matched
 * the route (`routeKey` such as `POST /api/approvals/{id}/approve`) and its path parameters already.
 */
export function createApiHandler(dependencies: Provided<ApiHandlerDependencies>) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const { routes, onError, maxListingBytes } = await resolveProvided(dependencies);
    const route = routes.find((candidate) => `${candidate.method} ${candidate.path}` === event.routeKey);
    if (!route)
      return json(404, {
        error: `no API route '${event.routeKey}'`,
        detail: { routes: routes.map((candidate) => `${candidate.method} ${candidate.path}`) },
      });
    const body = event.body === undefined ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
    // A page cut for size is read again from the listing's own cursor (listing-size-cap.ts).
    const query = new URLSearchParams(event.rawQueryString ?? '');
    const page = readPageCursor(query.get('cursor'));
    if (page?.cursor === null) query.delete('cursor');
    else if (page) query.set('cursor', page.cursor);
    try {
      const caller = callerOf(event);
      const answer = await route.handle({
        params: (event.pathParameters ?? {}) as Record<string, string>,
        query,
        body,
        headers: lowerCased(event.headers ?? {}),
        ...(caller ? { caller } : {}),
      });
      const listed =
        route.method === 'GET' && answer.status === 200 ? capListing(answer.body, page, query.get('cursor'), maxListingBytes) : answer.body;
      return json(answer.status, listed);
    } catch (error) {
      onError?.(error, event.routeKey);
      return json(500, { error: `${event.routeKey} failed; the api function's log has the cause`, detail: null });
    }
  };
}

/** What the api function answers: the routes both runtimes share, and the OpenAPI document of the AWS routes. */
export function awsApiRoutes(...shared: Parameters<typeof foghornApiRoutes>): ApiRoute[] {
  return [...foghornApiRoutes(...shared), awsOpenApiRoute()];
}

/** The api stage: crisis mode, approvals, audit and events over the adapters' stores, as the local server serves them. */
export function apiStage(adapters: Provided<Adapters>): (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> {
  return stage(adapters, async (wired) =>
    createApiHandler({
      routes: awsApiRoutes(
        await crisisKitOf(wired),
        wired.events,
        analyticsSourcesOf(wired),
        consoleReadsOf(wired),
        scheduledPostsOf(wired),
        assignmentRouteSources(wired),
      ),
      onError: (error, routeKey) => wired.logger.error('api route failed', { routeKey, error }),
    }),
  );
}
