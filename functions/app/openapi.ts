import { z } from 'zod';
import { ANALYTICS_PARAMETERS } from '../analytics/analytics-query.js';
import { accessFor } from '../auth/api-access.js';
import { type ListingName, listingParameters } from '../core/api-query.js';
import { canonicalEventSchema } from '../core/event.js';
import type { ApiRoute } from '../crisis/crisis-api-routes.js';
import { topology } from './topology.js';

/**
 * The OpenAPI 3.1 document of Foghorn's HTTP API: the routes of the local runtime and of the AWS `api`
 * function (topology.ts). Query parameters come from the zod schemas that validate them (core/api-query.ts),
 * the event from the canonical event schema; a route without an operation here makes `openApiDocument` throw,
 * so a new route cannot go undocumented.
 */

const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const object = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
});
const listOf = (field: string, item: Record<string, unknown>, paged = false) =>
  object(
    {
      [field]: { type: 'array', items: item },
      ...(paged ? { next: { type: ['string', 'null'], description: 'The cursor of the next page; null at the end.' } } : {}),
    },
    [field],
  );

function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return rest;
}

/** `who` of a decision: required on AWS; locally the signed-in user replaces it, and with the API token it defaults to `token`. */
const who = (what: string) =>
  z
    .string()
    .min(1)
    .optional()
    .describe(
      `${what}. Required on AWS; locally the signed-in user (user:<name>) replaces it, and with the API token it defaults to \`token\``,
    );
const switchBody = z.object({
  who: who('The person switching'),
  why: z.string().min(1).describe('The reason, for the audit log'),
});
const approveBody = z.object({
  who: who('The person approving'),
  note: z.string().optional().describe('A note for the audit log'),
  text: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Edit and approve: the text to send instead of the held one (a reply or post only). The approved command carries it, and the audit entry records it (`detail.edited`, `detail.text`)',
    ),
});
const postStatuses = ['scheduled', 'suspended', 'publishing', 'published', 'cancelled'] as const;
const scheduleBody = z.object({
  who: who('The person scheduling'),
  channel: z.string().min(1).describe('A channel name declared under `channels:` in foghorn.config.yaml (with its `platform`)'),
  at: z.string().min(1).describe('The minute to publish: an ISO time with its zone (seconds are dropped); not in the past'),
  text: z.string().min(1).describe('The text, as it goes out (it passes the outgoing guard and the length guard)'),
  lang: z.string().optional().describe('Its language tag (fa, ar, he, ur, tr, sw, ru, en, …)'),
  approval: z.boolean().optional().describe('Held in the approval queue at its minute instead of going straight out'),
  idempotencyKey: z
    .string()
    .optional()
    .describe('As the Idempotency-Key header: a retry with the same key and request answers 200 with the same post'),
});
const cancelBody = z.object({ who: who('The person cancelling'), why: z.string().optional().describe('For the audit log') });
const releaseBody = z.object({
  who: who('The person releasing'),
  at: z.string().optional().describe('A new minute (ISO time); absent: its own minute, or the next sweep when that has passed'),
});
const assignBody = z.object({
  who: who('The person reassigning'),
  person: z.string().min(1).optional().describe('A key of `people:`: give this or `team`'),
  team: z.string().min(1).optional().describe('A key of `teams:`: a member in hours is picked by its strategy'),
  note: z.string().optional().describe('Why, for the audit log'),
  requestId: z.string().min(1).optional().describe('The same id again changes nothing (a retried request)'),
});
const ownerSchema = object(
  {
    person: { type: 'string' },
    team: { type: 'string' },
    since: { type: 'string', format: 'date-time' },
    by: { type: 'string', description: '`rule:<id>` or `user:<name>`' },
    open: { type: 'boolean', description: 'False once the brand answered in the conversation or it was resolved' },
    why: { type: 'string' },
  },
  ['since', 'by', 'open', 'why'],
);
const rejectBody = z.object({ who: who('The person rejecting'), reason: z.string().min(1).describe('Why it must not go out') });

interface Operation {
  summary: string;
  listing?: ListingName;
  extraQuery?: Array<Record<string, unknown>>;
  body?: z.ZodType;
  /** The 200 answer (or `created`'s). */
  answer: Record<string, unknown>;
  /** Answered 201 rather than 200: the change made something new. */
  created?: boolean;
  /** Statuses besides 200 and 400. */
  also?: number[];
  /**
   * A change the local runtime guards (auth-guard.ts, same-origin-guard.ts): its 401, 403 and 415 answers, the role it
   * needs (functions/auth/api-access.ts) and the session or API token it takes. `sign-in`: signing in or out, which
   * needs no session but the same origin and JSON.
   */
  change?: 'guarded' | 'sign-in';
}

/** What a guarded change is refused with, whatever its route (see docs/api.md, "Who may call it"). */
const REFUSALS: Record<number, string> = {
  401: 'No session or API token, a session that has ended, or a wrong token: nothing changed (`detail.signIn` is /login)',
  403: "A `Host` or `Origin` not the runtime's own (another site's page), or a role too low (`detail.needed`, `detail.role`): nothing changed",
  415: 'Not sent as `Content-Type: application/json` (a form or text/plain post): nothing changed',
};
const SIGN_IN_REFUSALS: Record<number, string> = {
  403: "A `Host` or `Origin` not the runtime's own: another site cannot sign a browser in or out",
  415: REFUSALS[415]!,
};

const anything = {};
const OPERATIONS: Record<string, Operation> = {
  'GET /health': {
    summary: 'Liveness, the rule count, the latest rules reload and the queue depths',
    answer: object({
      ok: { type: 'boolean' },
      rules: { type: 'integer' },
      reload: {
        type: 'object',
        description: '`loaded`, or `rejected` with its first error and problem count while the previous rules stay in force',
        properties: {
          status: { type: 'string', enum: ['loaded', 'rejected'] },
          at: { type: 'string', format: 'date-time' },
          error: { type: 'string' },
          problems: { type: 'integer' },
        },
        required: ['status', 'at'],
      },
      queues: {
        type: 'object',
        additionalProperties: object({ visible: { type: 'integer' }, invisible: { type: 'integer' }, total: { type: 'integer' } }),
      },
    }),
  },
  'POST /webhooks/{platform}': { summary: "A platform's delivery, checked by its signature", answer: anything, also: [401, 404, 413, 422] },
  'GET /webhooks/{platform}': { summary: "A platform's subscription handshake", answer: anything, also: [401, 404, 405] },
  'GET /api/events': { summary: 'Stored canonical events, newest first', listing: 'events', answer: listOf('events', ref('Event'), true) },
  'GET /api/actions': { summary: 'Actions, newest first', listing: 'actions', answer: listOf('actions', ref('Action'), true) },
  'GET /api/quarantine': {
    summary: 'Signed deliveries that could not be normalised',
    listing: 'limitOnly',
    answer: listOf('quarantine', ref('Quarantined')),
  },
  'GET /api/dead-letters': {
    summary: 'Commands that failed for good, per queue',
    answer: object({
      deadLetters: { type: 'object', additionalProperties: { type: 'array', items: object({ id: { type: 'string' }, body: anything }) } },
    }),
  },
  'POST /api/dead-letters/{queue}/redrive': {
    summary: "Send a queue's dead letters back for another try (needs the agent role)",
    answer: object(
      {
        redriven: {
          oneOf: [
            { type: 'array', items: { type: 'string' } },
            { type: 'integer', minimum: 0 },
          ],
          description:
            'Locally the ids sent back; on AWS the number waiting when SQS started its move task (about that many), which runs on after the answer',
        },
        task: { type: 'string', description: "On AWS: the SQS move task's handle" },
      },
      ['redriven'],
    ),
    also: [404, 409],
    change: 'guarded',
  },
  'GET /api/rules': {
    summary: 'Each rule in force: hits and holds in 24 h, last fired, breaker; the latest reload',
    answer: object({
      rules: { type: 'array', items: anything },
      reload: { type: 'object', description: 'As in /health; on AWS `loaded` when the api function loaded the deployed rules' },
      counted: object({
        since: { type: 'string', format: 'date-time' },
        events: { type: 'integer', minimum: 0 },
        complete: { type: 'boolean' },
      }),
    }),
    also: [404],
  },
  'GET /api/conversations/{id}': {
    summary: "An event's conversation in order, with Foghorn's answers and any running response timer",
    answer: object({ conversation: anything }),
    also: [404],
  },
  'GET /api/decisions': {
    summary: 'The rules that matched each event (absent: not evaluated yet)',
    extraQuery: [{ name: 'event', in: 'query', required: false, description: 'An event id, up to 200 times', schema: { type: 'string' } }],
    answer: object({
      decisions: {
        type: 'object',
        additionalProperties: object({ rules: { type: 'array', items: { type: 'string' } }, decidedAt: { type: 'string' } }),
      },
    }),
  },
  'GET /api/spikes': { summary: 'Open spike episodes', answer: object({ spikes: { type: 'array', items: anything } }) },
  'GET /api/events/{id}': {
    summary: 'One event (escalation digests link here), with the helpdesk tickets of its conversation',
    answer: object({
      event: ref('Event'),
      tickets: {
        type: 'array',
        items: object(
          {
            target: { type: 'string' },
            helpdesk: { type: 'string', enum: ['zendesk', 'freshdesk', 'jira'] },
            status: { type: 'string', enum: ['opening', 'open'] },
            id: { type: 'string' },
            url: { type: 'string' },
            conversation: { type: 'string' },
            openedBy: { type: 'string' },
            createdAt: { type: 'string' },
            openedAt: { type: 'string' },
          },
          ['target', 'helpdesk', 'status', 'conversation', 'openedBy', 'createdAt'],
        ),
      },
      owner: {
        ...ownerSchema,
        nullable: true,
        description: "The conversation's owner (docs/routing.md#assignment); null when it has none",
      },
    }),
    also: [404],
  },
  'POST /api/events/{id}/assign': {
    summary: "Give the event's conversation to a person or a team (needs the agent role); audited with who, from, to and why",
    body: assignBody,
    answer: object({
      owner: ownerSchema,
      previous: { ...ownerSchema, nullable: true },
      result: { type: 'string', enum: ['assigned', 'repeated', 'kept'] },
      timers: {
        type: 'array',
        description: "The conversation's unanswered timers restarted for the new owner, due `after` from now",
        items: object(
          {
            id: { type: 'string' },
            eventId: { type: 'string' },
            dueAt: { type: 'string', format: 'date-time' },
            target: { type: 'string', description: "Where it escalates: the target of the new owner's team lead" },
            problem: { type: 'string', description: 'Why it still escalates to the previous target (the new owner has no lead)' },
          },
          ['id', 'eventId', 'dueAt', 'target'],
        ),
      },
    }),
    also: [404],
    change: 'guarded',
  },
  'GET /api/teams': {
    summary: 'The teams of foghorn.config.yaml with their members, open conversations and who is in hours now',
    answer: object({
      teams: {
        type: 'array',
        items: object(
          {
            id: { type: 'string' },
            name: { type: 'string', description: "The team's `name:` in foghorn.config.yaml, else its id" },
            strategy: { type: 'string', enum: ['round-robin', 'least-open'] },
            lead: { type: 'string' },
            members: {
              type: 'array',
              items: object(
                {
                  id: { type: 'string' },
                  name: { type: 'string' },
                  user: { type: 'string' },
                  open: { type: 'integer' },
                  inHours: { type: 'boolean' },
                },
                ['id', 'name', 'open', 'inHours'],
              ),
            },
          },
          ['id', 'name', 'strategy', 'members'],
        ),
      },
    }),
  },
  'GET /api/crisis': { summary: 'Crisis mode', answer: object({ crisis: ref('Crisis') }) },
  'POST /api/crisis/on': {
    summary: 'Turn crisis mode on',
    body: switchBody,
    answer: object({ crisis: ref('Crisis'), changed: { type: 'boolean' } }),
    change: 'guarded',
  },
  'POST /api/crisis/off': {
    summary: 'Turn crisis mode off',
    body: switchBody,
    answer: object({ crisis: ref('Crisis'), changed: { type: 'boolean' } }),
    change: 'guarded',
  },
  'GET /api/approvals': {
    summary: 'The approval queue',
    listing: 'limitOnly',
    extraQuery: [
      {
        name: 'status',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['pending', 'approved', 'rejected', 'expired', 'all'], default: 'pending' },
      },
    ],
    answer: listOf('approvals', ref('Approval')),
  },
  'POST /api/approvals/{id}/approve': {
    summary: 'Approve a held action; with `text`, edit and approve (the edited text is what goes out)',
    body: approveBody,
    answer: object({ approval: ref('Approval') }),
    also: [404, 409],
    change: 'guarded',
  },
  'POST /api/approvals/{id}/reject': {
    summary: 'Reject a held action',
    body: rejectBody,
    answer: object({ approval: ref('Approval') }),
    also: [404, 409],
    change: 'guarded',
  },
  'GET /api/posts': {
    summary: 'Scheduled posts, earliest minute first; `overdue` when the minute passed and it has not gone out',
    listing: 'limitOnly',
    extraQuery: [
      { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: [...postStatuses, 'all'], default: 'all' } },
    ],
    answer: listOf('posts', ref('Post')),
  },
  'POST /api/posts': {
    summary: 'Schedule a post for a channel and a minute (suspended at once while crisis mode is on; needs the agent role)',
    body: scheduleBody,
    extraQuery: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'A key of your own (a UUID) kept with the post: the same key and request again answers 200 with that post, never a second one; the same key with another request, 409',
        schema: { type: 'string', maxLength: 255 },
      },
    ],
    answer: object({ post: ref('Post') }),
    also: [409],
    created: true,
    change: 'guarded',
  },
  'GET /api/posts/{id}': { summary: 'One scheduled post', answer: object({ post: ref('Post') }), also: [404] },
  'DELETE /api/posts/{id}': {
    summary: 'Cancel a scheduled or suspended post (needs the agent role); cancelling again changes nothing',
    body: cancelBody,
    answer: object({ post: ref('Post'), changed: { type: 'boolean' } }),
    also: [404, 409],
    change: 'guarded',
  },
  'POST /api/posts/{id}/release': {
    summary: 'Release a post a crisis suspended, at its minute or a new `at` (needs the lead role; refused while crisis mode is on)',
    body: releaseBody,
    answer: object({
      post: ref('Post'),
      changed: { type: 'boolean', description: 'False when it was not suspended (released already, published): nothing more goes out' },
    }),
    also: [404, 409],
    change: 'guarded',
  },
  'POST /api/posts/release': {
    summary: 'Release every suspended post (needs the lead role; refused while crisis mode is on)',
    body: releaseBody,
    answer: listOf('released', ref('Post')),
    also: [409],
    change: 'guarded',
  },
  'GET /api/audit': { summary: 'The audit log, newest first', listing: 'limitOnly', answer: listOf('audit', ref('AuditEntry')) },
  'GET /api/analytics': {
    summary: 'Response-time analytics: first response p50/p90 per group, share within target, inbound by hour, SLA breaches, top rules',
    extraQuery: ANALYTICS_PARAMETERS,
    answer: ref('Analytics'),
    also: [404],
  },
  'GET /api/openapi.json': { summary: 'This document', answer: { type: 'object' } },
  'POST /api/login': {
    summary: 'Sign in to the console: sets the foghorn_session cookie (local runtime)',
    body: z.object({ name: z.string().min(1), password: z.string() }),
    answer: object({ name: { type: 'string' }, role: { type: 'string', enum: ['viewer', 'agent', 'lead', 'admin'] } }),
    also: [401, 429],
    change: 'sign-in',
  },
  'POST /api/logout': {
    summary: 'End the session and clear its cookie',
    answer: object({ signedOut: { type: 'boolean' } }),
    change: 'sign-in',
  },
  'GET /api/me': {
    summary: 'Who the session or API token is, their role, and the person and teams they are (people: and teams:)',
    answer: object(
      {
        name: { type: 'string' },
        user: { type: 'string' },
        role: { type: 'string', enum: ['viewer', 'agent', 'lead', 'admin'] },
        person: { type: 'string' },
        teams: { type: 'array', items: { type: 'string' } },
      },
      ['name', 'user', 'role', 'teams'],
    ),
    also: [401],
  },
};

const ERROR = object({ error: { type: 'string' }, detail: anything });

const DESCRIPTIONS: Record<number, string> = {
  404: 'Not found',
  409: 'Already decided, or (a redrive) one still running: nothing changed',
  429: 'Too many sign-ins at once: try again after `Retry-After`',
};

const count = { type: 'integer', minimum: 0 };
const seconds = { type: ['number', 'null'], description: 'Seconds; null without a first response' };
const ANALYTICS_FIGURES = object({
  inbound: count,
  firstResponse: object({
    count,
    p50Seconds: seconds,
    p90Seconds: seconds,
    exact: { type: 'boolean', description: 'False when a bucket held over 2,000 times: percentiles from the histogram, within 5 %' },
    withinTarget: count,
    shareWithinTarget: { type: ['number', 'null'], minimum: 0, maximum: 1 },
    automated: count,
    human: count,
  }),
  answers: object({ automated: count, human: count }),
  slaBreaches: count,
});
const ANALYTICS_SCHEMA = object({
  from: { type: 'string', format: 'date-time' },
  to: { type: 'string', format: 'date-time' },
  by: { type: 'string', enum: ['platform', 'channel', 'lang'] },
  responseTarget: object({ text: { type: 'string' }, seconds: { type: 'number' } }),
  totals: ANALYTICS_FIGURES,
  groups: {
    type: 'array',
    items: {
      allOf: [
        ANALYTICS_FIGURES,
        object({ key: { type: 'string' }, platform: { type: 'string' }, channel: { type: 'string' }, lang: { type: 'string' } }, ['key']),
      ],
    },
  },
  inboundByHour: {
    type: 'array',
    items: object({ hour: { type: 'string', format: 'date-time' }, inbound: count, spike: { type: 'boolean' } }),
  },
  spikes: {
    type: 'array',
    items: object({
      incident: { type: 'string' },
      ruleId: { type: 'string' },
      startedAt: { type: 'string', format: 'date-time' },
      endedAt: { type: ['string', 'null'], format: 'date-time' },
    }),
  },
  topRules: { type: 'array', items: object({ ruleId: { type: 'string' }, hits: count }) },
});

/**
 * Which runtime the document describes: the local one (sessions and the API token, the local address), or the HTTP API
 * on AWS (SigV4-signed requests on the IAM routes, the address the document was fetched from).
 */
export interface OpenApiOptions {
  runtime: 'local' | 'aws';
}

const LOCAL_SECURITY = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'foghorn_session',
    description: 'The console session (POST /api/login, or the one-time link)',
  },
  apiToken: { type: 'http', scheme: 'bearer', description: 'FOGHORN_API_TOKEN, an admin (the foghorn command sends it)' },
};

const AWS_SECURITY = {
  sigv4: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'AWS Signature Version 4 (service execute-api), from a principal granted execute-api:Invoke (docs/deploy.md)',
  },
};

/**
 * `GET /api/openapi.json` on AWS: the document of the routes API Gateway has (topology.ts), built on first use. The
 * local runtime serves its own (runtime.ts), from the routes its server has.
 */
export function awsOpenApiRoute(): ApiRoute {
  let document: Record<string, unknown> | undefined;
  return {
    method: 'GET',
    path: '/api/openapi.json',
    handle: async () => ({ status: 200, body: (document ??= openApiDocument(topology.http, { runtime: 'aws' })) }),
  };
}

export function openApiDocument(
  routes: ReadonlyArray<{ method: string; path: string; auth?: string }>,
  options: OpenApiOptions = { runtime: 'local' },
): Record<string, unknown> {
  const onAws = options.runtime === 'aws';
  const paths: Record<string, Record<string, unknown>> = {};
  const aws = new Set(topology.http.map((route) => `${route.method} ${route.path}`));
  for (const route of routes) {
    const { method, path } = route;
    const key = `${method} ${path}`;
    const operation = OPERATIONS[key];
    if (!operation) throw new Error(`openapi: no operation for ${key}; describe it in functions/app/openapi.ts`);
    const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const responses: Record<string, unknown> = {
      ...(operation.created
        ? { 201: { description: 'Created (stored)', content: json(operation.answer) } }
        : { 200: { description: 'OK', content: json(operation.answer) } }),
      400: { description: 'A parameter or the body is not valid; `detail.parameter` names the parameter', content: json(ref('Error')) },
    };
    for (const status of operation.also ?? [])
      responses[status] = { description: DESCRIPTIONS[status] ?? String(status), content: json(ref('Error')) };
    const refusals = operation.change === 'guarded' ? REFUSALS : operation.change === 'sign-in' ? SIGN_IN_REFUSALS : {};
    for (const [status, description] of Object.entries(refusals)) responses[status] = { description, content: json(ref('Error')) };
    if (operation.change === 'sign-in' && operation.also?.includes(401))
      responses[401] = { description: 'Wrong name or password (the same answer for both)', content: json(ref('Error')) };
    const role = operation.change === 'guarded' ? accessFor(method, path).role : undefined;
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: `${method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: operation.summary,
      ...(onAws
        ? route.auth === 'iam'
          ? { description: 'Needs a SigV4-signed request from a principal granted execute-api:Invoke on it.', security: [{ sigv4: [] }] }
          : {}
        : role
          ? {
              description: `Locally: needs the ${role} role (a session of a user with it, or the API token, an admin), the runtime's own Origin, and Content-Type: application/json.`,
              security: [{ session: [] }, { apiToken: [] }],
            }
          : {}),
      ...(onAws
        ? {}
        : aws.has(key)
          ? { 'x-foghorn-aws': 'served by the api function (IAM-authorised) or ingest' }
          : { 'x-foghorn-aws': 'local runtime only' }),
      parameters: [...pathParameters, ...(operation.listing ? listingParameters(operation.listing) : []), ...(operation.extraQuery ?? [])],
      ...(operation.body ? { requestBody: { required: true, content: json(schemaOf(operation.body)) } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Foghorn HTTP API', version: '1', description: 'See docs/api.md for every answer shape.' },
    servers: onAws
      ? [{ url: '/', description: 'the HTTP API this document was fetched from' }]
      : [{ url: 'http://127.0.0.1:8787', description: 'the local runtime' }],
    paths,
    components: {
      securitySchemes: onAws ? AWS_SECURITY : LOCAL_SECURITY,
      schemas: {
        Error: ERROR,
        Event: schemaOf(canonicalEventSchema),
        Action: object(
          {
            id: { type: 'string' },
            eventId: { type: 'string' },
            ruleId: { type: 'string' },
            type: { type: 'string' },
            status: { type: 'string', enum: ['in-progress', 'retrying', 'succeeded', 'failed', 'held', 'unknown'] },
            mode: { type: 'string', enum: ['live', 'sandbox'] },
            request: { type: 'object' },
            externalId: { type: 'string' },
            error: { type: 'string' },
            attempts: { type: 'integer' },
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
          },
          ['id', 'eventId', 'ruleId', 'type', 'status', 'attempts', 'createdAt', 'updatedAt'],
        ),
        Quarantined: object(
          {
            id: { type: 'string' },
            platform: { type: 'string' },
            reason: { type: 'string' },
            detail: { type: 'string', description: 'JSON text' },
            rawRef: { type: 'string' },
            receivedAt: { type: 'string', format: 'date-time' },
          },
          ['id', 'platform', 'reason', 'rawRef', 'receivedAt'],
        ),
        Crisis: { type: 'object', description: 'The crisis state (docs/api.md)' },
        Approval: { type: 'object', description: 'A held action and its decision (docs/api.md)' },
        AuditEntry: { type: 'object', description: 'Who did what, when and why (docs/api.md)' },
        Post: object(
          {
            id: { type: 'string' },
            channel: { type: 'string' },
            platform: { type: 'string' },
            channelId: { type: 'string' },
            text: { type: 'string' },
            lang: { type: 'string' },
            approval: { type: 'boolean' },
            at: { type: 'string', format: 'date-time' },
            status: { type: 'string', enum: [...postStatuses] },
            overdue: { type: 'boolean', description: 'Its minute passed and it has not gone out (suspended, or not swept yet)' },
            created: { type: 'object', description: '{at, by}' },
            suspended: { type: 'object', description: '{at, by, why, crisis: {since, by, why}}: the crisis that suspended it' },
            released: { type: 'object', description: '{at, by}' },
            cancelled: { type: 'object', description: '{at, by, why}' },
            publishedAt: { type: 'string', format: 'date-time' },
            commandId: {
              type: 'string',
              description: "The act path's command (GET /api/actions); the same id however often it is dispatched",
            },
            idempotency: {
              type: 'object',
              description: '{key, request}: the idempotency key it was scheduled with, and a digest of the request',
            },
            version: { type: 'integer' },
          },
          ['id', 'channel', 'platform', 'text', 'approval', 'at', 'status', 'overdue', 'created', 'version'],
        ),
        Analytics: ANALYTICS_SCHEMA,
      },
    },
  };
}
