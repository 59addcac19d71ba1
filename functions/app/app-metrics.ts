import type { ActOutcome } from '../core/act.js';
import type { ActionCommand } from '../core/action-command.js';
import type { AuditLog } from '../crisis/ports.js';

/**
 * Where the assembly counts what happens: Powertools Metrics (CloudWatch embedded metric format) on AWS, nothing
 * locally. Dimension values must come from small fixed sets (a platform, a status, an action type), never an id:
 * every distinct combination is a CloudWatch metric of its own.
 */
export interface AppMetrics {
  /** Adds `value` (1 by default) to the count `name`. */
  count(name: MetricName, dimensions?: Readonly<Record<string, string>>, value?: number): void;
  /** One duration, in milliseconds. */
  milliseconds(name: MetricName, ms: number, dimensions?: Readonly<Record<string, string>>): void;
}

/** The metric names the functions emit and the dashboard (infra/constructs/dashboard.ts) reads: change one, change both. */
export const METRIC_NAMES = {
  /** A webhook delivery answered by ingest, by `platform` (a registered one, or `unknown`) and `outcome` (accepted, refused). */
  webhooks: 'Webhooks',
  /** An action's outcome in act, by `type` and `status` (ACTION_METRIC_STATUSES). */
  actions: 'Actions',
  /** From the decision to the action's outcome in act, by `type`. */
  actionDelay: 'ActionDelay',
  /** A spike episode opened by a volume rule (evaluate). */
  spikesOpened: 'SpikesOpened',
  /** Quiet spike episodes the sweep ended. */
  spikesEnded: 'SpikeEpisodesEnded',
  postsPublished: 'ScheduledPostsPublished',
  postsSuspended: 'ScheduledPostsSuspended',
  /** Response timers the sweep fired: each one an SLA breach. */
  slaBreaches: 'SlaTimersFired',
  /** A queue message a consumer finished, by `function` (evaluate, act) and `outcome` (processed, failed: it is retried). */
  queueRecords: 'QueueRecords',
  /** Events the bus refused (PutEvents failed for them): ingest answers 503 and the platform retries. */
  publishFailures: 'PublishFailures',
  /** Requests the HTTP API refused with 429 (a route throttle), from its access log (a metric filter, not a function). */
  apiThrottled: 'ApiThrottled',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/** The `status` dimension of the Actions metric. */
export const ACTION_METRIC_STATUSES = ['succeeded', 'sandboxed', 'failed', 'held', 'unknown', 'retrying', 'dead', 'duplicate'] as const;
export type ActionMetricStatus = (typeof ACTION_METRIC_STATUSES)[number];

/** Audit lines that are a metric of their own, counted as they are recorded, wherever the runtime records them. */
const AUDITED_METRICS: Readonly<Record<string, MetricName>> = { 'spike.opened': METRIC_NAMES.spikesOpened };

/** The audit log, counting the lines of AUDITED_METRICS once each is on record. */
export function countingAudit(audit: AuditLog, metrics: AppMetrics): AuditLog {
  return {
    record: async (entry) => {
      await audit.record(entry);
      const name = AUDITED_METRICS[entry.what];
      if (name) metrics.count(name);
    },
    list: (limit) => audit.list(limit),
  };
}

/** An action's outcome in act as the Actions metric's `status`: a sandboxed success is told apart from a sent one. */
export function actionMetricStatus(outcome: ActOutcome): ActionMetricStatus {
  switch (outcome.status) {
    case 'done':
      if (outcome.record.status === 'succeeded') return outcome.record.mode === 'sandbox' ? 'sandboxed' : 'succeeded';
      return outcome.record.status === 'failed' || outcome.record.status === 'held' ? outcome.record.status : 'unknown';
    case 'skipped':
      return 'duplicate';
    case 'retry':
      return 'retrying';
    case 'dead':
      return 'dead';
  }
}

/** Counts an action's outcome by type and status, and how long after its decision the outcome came. */
export function countAction(metrics: AppMetrics | undefined, command: ActionCommand, outcome: ActOutcome, now: Date): void {
  if (!metrics) return;
  metrics.count(METRIC_NAMES.actions, { type: command.type, status: actionMetricStatus(outcome) });
  const decidedAt = Date.parse(command.createdAt);
  if (outcome.status === 'done' && !Number.isNaN(decidedAt))
    metrics.milliseconds(METRIC_NAMES.actionDelay, Math.max(0, now.getTime() - decidedAt), { type: command.type });
}
