/**
 * The shape of the pipeline, written once: the CDK stack and the local runtime are both built from it,
 * so the routes on AWS and on one machine cannot drift (test/infra/topology.test.ts checks both).
 */

export const EVENT_SOURCE = 'foghorn.ingest';
export const EVENT_DETAIL_TYPE = 'social.event';

export type FunctionName = 'ingest' | 'evaluate' | 'act' | 'poll' | 'sweep' | 'api';

export interface FunctionSpec {
  /** Handler module, relative to the repository root; exports `handler`. */
  entry: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
}

export interface QueueSpec {
  consumer: FunctionName;
  batchSize: number;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's dead-letter queue. */
  maxReceiveCount: number;
}

export interface BusRouteSpec {
  name: string;
  /** An EventBridge event pattern; the local bus matches the same subset (exact values in lists). */
  pattern: { source: string[]; 'detail-type': string[] };
  targetQueue: QueueName;
}

export type QueueName = 'events' | 'actions';

export interface HttpRouteSpec {
  method: 'GET' | 'POST';
  path: string;
  function: FunctionName;
  /**
   * `iam`: only principals granted execute-api:Invoke may call it (SigV4-signed requests). Absent: public,
   * for webhooks, which platforms cannot sign with IAM and which ingest authenticates by their signature.
   */
  auth?: 'iam';
}

export const topology = {
  busName: 'foghorn',
  functions: {
    ingest: { entry: 'functions/ingest/handler.ts', description: 'Verifies, normalises, stores and publishes webhooks', timeoutSeconds: 10, memoryMb: 512 },
    evaluate: { entry: 'functions/evaluate/handler.ts', description: 'Evaluates events against the rule set', timeoutSeconds: 30, memoryMb: 1024 },
    act: { entry: 'functions/act/handler.ts', description: 'Executes action commands exactly once', timeoutSeconds: 30, memoryMb: 512 },
    poll: { entry: 'functions/poll/handler.ts', description: 'Polls platforms without push (Reddit)', timeoutSeconds: 60, memoryMb: 256 },
    sweep: { entry: 'functions/sweep/handler.ts', description: 'Fires due SLA timers, ends quiet spikes, expires approvals', timeoutSeconds: 60, memoryMb: 256 },
    api: { entry: 'functions/api/handler.ts', description: 'Crisis mode, approvals, audit and events for humans (IAM-authorised)', timeoutSeconds: 10, memoryMb: 512 },
  } satisfies Record<FunctionName, FunctionSpec>,
  queues: {
    events: { consumer: 'evaluate', batchSize: 10, visibilityTimeoutSeconds: 180, maxReceiveCount: 5 },
    actions: { consumer: 'act', batchSize: 10, visibilityTimeoutSeconds: 180, maxReceiveCount: 8 },
  } satisfies Record<QueueName, QueueSpec>,
  busRoutes: [
    { name: 'social-events', pattern: { source: [EVENT_SOURCE], 'detail-type': [EVENT_DETAIL_TYPE] }, targetQueue: 'events' },
  ] satisfies BusRouteSpec[],
  http: [
    { method: 'POST', path: '/webhooks/{platform}', function: 'ingest' },
    { method: 'GET', path: '/webhooks/{platform}', function: 'ingest' },
    // The human-facing API (functions/api/routes.ts serves the same list locally).
    { method: 'GET', path: '/api/crisis', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/crisis/on', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/crisis/off', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/approvals', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/approvals/{id}/approve', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/approvals/{id}/reject', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/audit', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/events/{id}', function: 'api', auth: 'iam' },
  ] satisfies HttpRouteSpec[],
  /** Webhook bodies above this are refused with 413 (EventBridge's entry limit is 256 KB too). */
  maxBodyBytes: 256 * 1024,
} as const;

/** True when an entry put on the bus matches the pattern (the subset of EventBridge patterns we use). */
export function matchesPattern(pattern: BusRouteSpec['pattern'], entry: { source: string; detailType: string }): boolean {
  return pattern.source.includes(entry.source) && pattern['detail-type'].includes(entry.detailType);
}
