import { type AnalyticsSources, analyticsApiRoutes } from '../analytics/analytics-api-routes.js';
import type { EventStore } from '../core/ports.js';
import { type ApiRoute, crisisApiRoutes } from '../crisis/crisis-api-routes.js';
import type { CrisisKit } from '../crisis/crisis-kit.js';
import { withoutSecrets } from './without-secrets.js';

/**
 * Foghorn's human-facing API, the same everywhere: served by the local runtime and, on AWS, by the
 * IAM-authorised `api` function behind the HTTP API (topology.ts lists its routes).
 * `GET /api/events/{id}` is the "In Foghorn" link of escalation digests.
 * Every answer is served without secrets: an approval carries its command's event, and a Discord event its
 * interaction token.
 */
export function foghornApiRoutes(kit: CrisisKit, events: Pick<EventStore, 'get'>, analytics?: AnalyticsSources): ApiRoute[] {
  const routes: ApiRoute[] = [
    ...crisisApiRoutes(kit),
    ...analyticsApiRoutes(analytics),
    {
      method: 'GET',
      path: '/api/events/{id}',
      handle: async ({ params }) => {
        const stored = await events.get(params.id ?? '');
        return stored
          ? { status: 200, body: { event: stored.event } }
          : { status: 404, body: { error: `no event '${params.id}'`, detail: null } };
      },
    },
  ];
  return routes.map((route) => ({
    ...route,
    handle: async (request) => {
      const answer = await route.handle(request);
      return { ...answer, body: withoutSecrets(answer.body) };
    },
  }));
}
