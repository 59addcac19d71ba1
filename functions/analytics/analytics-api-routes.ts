import { FoghornError } from '../core/errors.js';
import type { ApiAnswer, ApiRoute } from '../crisis/crisis-api-routes.js';
import { analyticsRange } from './analytics-query.js';
import type { AnalyticsConfig } from './config.js';
import type { AnalyticsStore } from './ports.js';
import { analyticsReport, type ReportedSpike } from './report.js';

/** What the analytics route reads: the buckets, the response target in force, the spike episodes open now. */
export interface AnalyticsSources {
  store: Pick<AnalyticsStore, 'read'>;
  config(): AnalyticsConfig;
  openSpikes?(): Promise<ReportedSpike[]>;
  now(): Date;
}

/**
 * `GET /api/analytics?from=&to=&by=platform|channel|lang|team|person`: first-response p50/p90 per group, the share within
 * the target, automated vs human answers, inbound by hour with spike episodes marked, SLA breaches and the top
 * rules (report.ts). Served by both runtimes; without an analytics store it answers 404 and says so.
 */
export function analyticsApiRoutes(sources: AnalyticsSources | undefined): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/analytics',
      handle: async ({ query }) => {
        if (!sources)
          return { status: 404, body: { error: 'this Foghorn records no analytics: its adapters have no analytics store', detail: null } };
        return answer(async () => {
          const range = analyticsRange(query, sources.now());
          const config = sources.config();
          const [buckets, open] = await Promise.all([sources.store.read(range.from, range.to), sources.openSpikes?.() ?? []]);
          return analyticsReport(buckets, range, { text: config.responseTarget, ms: config.responseTargetMs }, open);
        });
      },
    },
  ];
}

async function answer(run: () => Promise<unknown>): Promise<ApiAnswer> {
  try {
    return { status: 200, body: await run() };
  } catch (error) {
    if (error instanceof FoghornError && error.status < 500)
      return { status: error.status, body: { error: error.message, detail: error.detail ?? null } };
    throw error;
  }
}
