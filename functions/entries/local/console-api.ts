import type { LoadedRules } from '../../app/rule-source.js';
import type { RuleReloadStatus } from '../../app/watched-rule-source.js';

/**
 * `GET /api/rules` and `GET /api/conversations/{id}` are the api routes' own now, on both runtimes
 * (functions/app/console-insights.ts, served through functions/app/api-routes.ts); the live stream shares their
 * decision cache's shape.
 */
export { DecisionCache, type DecisionSummary } from '../../app/console-insights.js';

/** The rules as the local runtime watches them: the latest that loaded, and how the latest reload went. */
export interface ConsoleSources {
  rules: { latest(): LoadedRules; reload(): RuleReloadStatus };
}
