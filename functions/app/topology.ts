/**
 * The shape of the pipeline, written once: the CDK stack (infra/) and the local runtime are both built
 * from it, so the routes on AWS and on one machine cannot drift (test/infra/topology.test.ts checks both).
 */

import { EVENT_DETAIL_TYPE, EVENT_SOURCE } from '../core/canonical-event.js';

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

export interface ScheduleSpec {
  everyMinutes: number;
}

export interface HttpRouteSpec {
  method: 'GET' | 'POST' | 'DELETE';
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
    ingest: {
      entry: 'functions/entries/lambda/ingest.ts',
      description: 'Verifies, normalises, stores and publishes webhooks',
      timeoutSeconds: 10,
      memoryMb: 512,
    },
    evaluate: {
      entry: 'functions/entries/lambda/evaluate.ts',
      description: 'Evaluates events against the rule set',
      timeoutSeconds: 30,
      memoryMb: 1024,
    },
    act: {
      entry: 'functions/entries/lambda/act.ts',
      description: 'Executes action commands exactly once',
      timeoutSeconds: 30,
      memoryMb: 512,
    },
    poll: {
      entry: 'functions/entries/lambda/poll.ts',
      description: 'Polls platforms without push (Reddit) and the listening sources that are due',
      timeoutSeconds: 60,
      memoryMb: 256,
    },
    sweep: {
      entry: 'functions/entries/lambda/sweep.ts',
      description: 'Fires due SLA timers, ends quiet spikes, expires approvals',
      timeoutSeconds: 60,
      // A run holds one due minute's timers: 100,000 in a storm at about 3 KB stored each are 300 MB of items, about
      // 2.5x that as JS objects and SDK pages (~750 MB), plus ~150 MB of runtime. 1,536 MB holds that with room, and
      // buys 0.87 vCPU for the 32 fires in flight (256 MB, a sixth of a vCPU, would run out of memory).
      memoryMb: 1536,
    },
    api: {
      entry: 'functions/entries/lambda/api.ts',
      description: 'Crisis mode, approvals, audit, events, rules and dead letters for humans (IAM-authorised)',
      timeoutSeconds: 10,
      memoryMb: 512,
    },
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
    // The human-facing API (api-routes.ts serves the same list locally).
    { method: 'GET', path: '/api/crisis', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/crisis/on', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/crisis/off', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/approvals', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/approvals/{id}/approve', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/approvals/{id}/reject', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/audit', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/events/{id}', function: 'api', auth: 'iam' },
    // Scheduled posts (functions/posts/posts-api-routes.ts).
    { method: 'GET', path: '/api/posts', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/posts', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/posts/{id}', function: 'api', auth: 'iam' },
    { method: 'DELETE', path: '/api/posts/{id}', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/posts/{id}/release', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/posts/release', function: 'api', auth: 'iam' },
    // Assignment inside the team (functions/assignment/assignment-api-routes.ts).
    { method: 'GET', path: '/api/teams', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/events/{id}/assign', function: 'api', auth: 'iam' },
    // The console's reads (served by the api function from the table; locally by the runtime's own routes).
    { method: 'GET', path: '/api/events', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/actions', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/decisions', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/spikes', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/analytics', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/rules', function: 'api', auth: 'iam' },
    { method: 'GET', path: '/api/conversations/{id}', function: 'api', auth: 'iam' },
    // The actions queue's dead letters (SQS): listed, and redriven to the actions queue by SQS's move task.
    { method: 'GET', path: '/api/dead-letters', function: 'api', auth: 'iam' },
    { method: 'POST', path: '/api/dead-letters/{queue}/redrive', function: 'api', auth: 'iam' },
    // The OpenAPI document of these routes (openapi.ts); locally the runtime describes its own, larger set.
    { method: 'GET', path: '/api/openapi.json', function: 'api', auth: 'iam' },
  ] satisfies HttpRouteSpec[],
  /** Functions the clock starts: an EventBridge schedule on AWS, the local scheduler on one machine. */
  schedules: {
    // Reddit allows about 100 requests a minute per client; a poll costs two (inbox, mentions) plus a token refresh a day.
    poll: { everyMinutes: 1 },
    sweep: { everyMinutes: 1 },
  } satisfies Partial<Record<FunctionName, ScheduleSpec>>,
  /**
   * How long a claimed action is protected from a second worker: twice the act function's timeout, so a
   * claim outlives the worker that made it (FOGHORN_ACTION_LEASE_MS overrides it).
   */
  actionLeaseMs: 60_000,
  /** Webhook bodies above this are refused with 413 (EventBridge's entry limit is 256 KB too). */
  maxBodyBytes: 256 * 1024,
} as const;

/**
 * How the analytics function reads the table's stream (infra/constructs/analytics-stream.ts builds its mapping from
 * this, and the capacity model replays the stream through it); pinned in test/infra/analytics-stream.test.ts.
 */
export const ANALYTICS_STREAM = {
  batchSize: 500,
  maxBatchingWindowSeconds: 5,
  retryAttempts: 10,
  /** A tumbling window only so that each invocation names its shard (the order of its sequence numbers). */
  tumblingWindowSeconds: 60,
  memoryMb: 512,
  timeoutSeconds: 60,
  /** The item kinds the function writes: clocks, hour buckets and their exact times, nothing else. */
  leadingKeys: ['ACLOCK#*', 'ANALYTICS#*', 'ANALYTICSRT#*'],
  /**
   * The changes the function is given (Lambda event filtering's patterns): a decision put, a conversation's owner put or
   * changed (the first response counts for whoever owns it when answered), a reply completed.
   */
  filters: [
    { eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: ['DECISION'] } } } },
    { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['OWNER'] } } } },
    {
      eventName: ['MODIFY'],
      dynamodb: { Keys: { sk: { S: ['ACTION'] } }, NewImage: { status: { S: ['succeeded'] }, type: { S: ['reply'] } } },
    },
  ],
} as const;
