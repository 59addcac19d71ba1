import { type AnalyticsSources, analyticsApiRoutes } from '../analytics/analytics-api-routes.js';
import { type AssignmentRouteSources, assignmentApiRoutes } from '../assignment/assignment-api-routes.js';
import { ownerView } from '../assignment/assignments.js';
import { listingQuery } from '../core/api-query.js';
import { FoghornError } from '../core/errors.js';
import type { CanonicalEvent } from '../core/event.js';
import { BadCursorError } from '../core/index-page.js';
import type { ActionRecord, DecisionStore, EventStore } from '../core/ports.js';
import { type ApiAnswer, type ApiRoute, crisisApiRoutes } from '../crisis/crisis-api-routes.js';
import type { CrisisKit } from '../crisis/crisis-kit.js';
import type { EpisodeStore } from '../crisis/ports.js';
import { postsApiRoutes } from '../posts/posts-api-routes.js';
import type { ScheduledPosts } from '../posts/scheduled-posts.js';
import type { Adapters } from './adapters.js';
import { conversationAnswer, DecisionCache, type InsightSources, type ListingPage, rulesAnswer } from './console-insights.js';
import { type DeadLetterQueue, deadLetterRoutes, type RedriveAudit } from './dead-letter-routes.js';
import { withOwners } from './owned-events.js';
import type { RuleReloadStatus } from './watched-rule-source.js';
import { withoutSecrets } from './without-secrets.js';

export type { ListingPage };

/**
 * What the console reads besides the crisis API, where the runtime serves it through this list (the api function on
 * AWS): the event and action listings (gsi1), the decisions by event (one item each) and the open spike episodes
 * (gsi1). The local runtime also serves its own earlier routes for the listings (functions/entries/local/runtime.ts).
 */
export interface ConsoleReads {
  events: ListingPage<CanonicalEvent>;
  actions: ListingPage<ActionRecord>;
  decisions: Pick<DecisionStore, 'get'>;
  episodes: Pick<EpisodeStore, 'listOpen'>;
  now(): Date;
  /** `GET /api/rules` and `GET /api/conversations/{id}`: the rule set in force, rule state, events and timers. */
  insights?: InsightSources;
  /** `GET /api/dead-letters` and its redrive: the queues the runtime has dead letters of (the actions queue's on AWS). */
  deadLetters?: Readonly<Record<string, DeadLetterQueue>>;
  /** Where a redrive is audited. */
  redriveAudit?: RedriveAudit;
}

/** An adapter set that can also list and redrive its dead letters (the AWS adapters: aws-adapters.ts). */
interface WithDeadLetterQueues {
  deadLetterQueues?: Readonly<Record<string, DeadLetterQueue>>;
}

/** The most events one `GET /api/decisions` asks about (the console asks for up to 100). */
const DECISIONS_PER_REQUEST = 200;

/** The console's reads over the adapters' stores, when their event and action stores can list pages (DynamoDB's can). */
export function consoleReadsOf(
  adapters: Pick<Adapters, 'events' | 'actions' | 'decisions' | 'crisisStores' | 'clock' | 'ruleState' | 'rules' | 'assignments'>,
): ConsoleReads | undefined {
  const events = adapters.events as EventStore & { listPage?: ListingPage<CanonicalEvent> };
  const actions = adapters.actions as Adapters['actions'] & { listPage?: ListingPage<ActionRecord> };
  if (typeof events.listPage !== 'function' || typeof actions.listPage !== 'function') return undefined;
  const listEvents: ListingPage<CanonicalEvent> = (query) => events.listPage!(query);
  const listActions: ListingPage<ActionRecord> = (query) => actions.listPage!(query);
  const now = () => adapters.clock.now();
  const deadLetters = (adapters as WithDeadLetterQueues).deadLetterQueues;
  return {
    // Each event with its conversation's owner, filtered by owner= and team=.
    events: withOwners(listEvents, adapters.assignments),
    actions: listActions,
    decisions: adapters.decisions,
    episodes: adapters.crisisStores.episodes,
    now,
    insights: {
      events: listEvents,
      actions: listActions,
      event: (id) => adapters.events.get(id),
      decisions: adapters.decisions,
      ruleState: adapters.ruleState,
      timers: adapters.crisisStores.timers,
      ...rulesInForce(adapters.rules, now),
      now,
    },
    ...(deadLetters
      ? { deadLetters, redriveAudit: { record: (entry) => adapters.crisisStores.audit.record(entry), clock: adapters.clock } }
      : {}),
  };
}

/**
 * The rule set in force and its latest reload: the watched rules folder's own status locally; on AWS, where the rules
 * change only with a deployment (the rule set bundled with the function, loaded as evaluate loads it), `loaded` at the
 * time this container loaded them.
 */
function rulesInForce(rules: Adapters['rules'], now: () => Date): Pick<InsightSources, 'rules' | 'reload'> {
  const watched = rules as Adapters['rules'] & { reload?: () => RuleReloadStatus };
  if (typeof watched.reload === 'function') return { rules: () => rules.current(), reload: () => watched.reload!() };
  let loadedAt: string | undefined;
  return {
    rules: async () => {
      const loaded = await rules.current();
      loadedAt ??= now().toISOString();
      return loaded;
    },
    reload: () => ({ status: 'loaded', at: loadedAt ?? now().toISOString() }),
  };
}

/**
 * Foghorn's human-facing API, the same everywhere: served by the local runtime and, on AWS, by the
 * IAM-authorised `api` function behind the HTTP API (topology.ts lists its routes).
 * `GET /api/events/{id}` is the "In Foghorn" link of escalation digests.
 * With `reads`, also the console's reads: `GET /api/events` and `GET /api/actions` (filtered
 * and paged as core/api-query.ts reads them), `GET /api/decisions?event=…`, `GET /api/spikes`, `GET /api/rules`,
 * `GET /api/conversations/{id}` (console-insights.ts), and the dead letters with their redrive (dead-letter-routes.ts).
 * With `posts`, the scheduled posts (functions/posts/posts-api-routes.ts); with `assignment`, the teams and
 * reassigning (functions/assignment/assignment-api-routes.ts) and each event's conversation owner.
 * Every answer is served without secrets: an approval carries its command's event, and a Discord event its
 * interaction token.
 */
export function foghornApiRoutes(
  kit: CrisisKit,
  events: Pick<EventStore, 'get'>,
  analytics?: AnalyticsSources,
  reads?: ConsoleReads,
  posts?: ScheduledPosts,
  assignment?: AssignmentRouteSources,
): ApiRoute[] {
  const routes: ApiRoute[] = [
    ...crisisApiRoutes(kit),
    ...postsApiRoutes(posts),
    ...assignmentApiRoutes(assignment),
    ...analyticsApiRoutes(analytics),
    {
      method: 'GET',
      path: '/api/events/{id}',
      handle: async ({ params }) => {
        const stored = await events.get(params.id ?? '');
        if (!stored) return { status: 404, body: { error: `no event '${params.id}'`, detail: null } };
        // The helpdesk tickets of its conversation, without the message each one keeps (that is the event's own).
        const tickets = (await kit.ticketsOf(stored.event)).map(({ event: _event, ...ticket }) => ticket);
        // Its conversation's owner (the same conversation key as the tickets'), null when it has none.
        const owner = assignment ? await assignment.assignments.ownerOf(assignment.conversationOf(stored.event)) : undefined;
        return { status: 200, body: { event: stored.event, tickets, owner: owner ? ownerView(owner) : null } };
      },
    },
    ...consoleReadRoutes(reads),
    ...insightRoutes(reads?.insights),
    ...deadLetterRoutes(reads?.deadLetters, reads?.redriveAudit),
  ];
  return routes.map((route) => ({
    ...route,
    handle: async (request) => {
      const answer = await route.handle(request);
      return { ...answer, body: withoutSecrets(answer.body) };
    },
  }));
}

/** The console's reads; without `reads` (a runtime whose stores cannot list pages) each answers 404, naming why. */
function consoleReadRoutes(given: ConsoleReads | undefined): ApiRoute[] {
  const reads: ConsoleReads = given ?? {
    events: unserved,
    actions: unserved,
    decisions: { get: unserved },
    episodes: { listOpen: unserved },
    now: () => new Date(),
  };
  return [
    {
      method: 'GET',
      path: '/api/events',
      handle: ({ query }) =>
        listing(async () => {
          const page = await reads.events(listingQuery('events', query, reads.now()));
          return { events: page.items, next: page.next ?? null };
        }),
    },
    {
      method: 'GET',
      path: '/api/actions',
      handle: ({ query }) =>
        listing(async () => {
          const page = await reads.actions(listingQuery('actions', query, reads.now()));
          return { actions: page.items, next: page.next ?? null };
        }),
    },
    {
      method: 'GET',
      path: '/api/decisions',
      handle: ({ query }) =>
        listing(async () => {
          const ids = [...new Set(query.getAll('event'))];
          if (ids.length > DECISIONS_PER_REQUEST)
            throw new FoghornError(`event may be given at most ${DECISIONS_PER_REQUEST} times, got ${ids.length}`, {
              status: 400,
              detail: { parameter: 'event', allowed: `1 to ${DECISIONS_PER_REQUEST} event ids` },
            });
          const found = await Promise.all(ids.map(async (id) => [id, await reads.decisions.get(id)] as const));
          const decisions: Record<string, { rules: string[]; decidedAt: string }> = {};
          for (const [id, decision] of found) if (decision) decisions[id] = { rules: decision.rules, decidedAt: decision.decidedAt };
          return { decisions };
        }),
    },
    {
      method: 'GET',
      path: '/api/spikes',
      handle: () =>
        listing(async () => ({
          spikes: (await reads.episodes.listOpen()).map(({ ruleId, incident, startedAt, lastEventAt, count, quietMs }) => ({
            ruleId,
            incident,
            startedAt,
            lastEventAt,
            count,
            quietMs,
          })),
        })),
    },
  ];
}

/** `GET /api/rules` and `GET /api/conversations/{id}` (console-insights.ts); without sources each answers 404, naming why. */
function insightRoutes(sources: InsightSources | undefined): ApiRoute[] {
  const cache = sources ? new DecisionCache(sources.decisions) : undefined;
  const rules = sources && cache ? rulesAnswer(sources, cache) : undefined;
  const conversation = sources && cache ? conversationAnswer(sources, cache) : undefined;
  const notServed: ApiAnswer = { status: 404, body: { error: new NotServedError().message, detail: null } };
  return [
    { method: 'GET', path: '/api/rules', handle: async () => (rules ? rules() : notServed) },
    {
      method: 'GET',
      path: '/api/conversations/{id}',
      handle: async (request) => (conversation ? conversation({ params: request.params }) : notServed),
    },
  ];
}

class NotServedError extends FoghornError {
  constructor() {
    super('this runtime serves no console listings: its stores cannot list pages', { status: 404, detail: null });
  }
}

async function unserved(): Promise<never> {
  throw new NotServedError();
}

/** A listing's answer, or the 400 of a parameter or cursor that is not valid. */
async function listing(run: () => Promise<unknown>): Promise<ApiAnswer> {
  try {
    return { status: 200, body: await run() };
  } catch (error) {
    if (error instanceof BadCursorError)
      return { status: 400, body: { error: error.message, detail: { parameter: 'cursor', reason: error.reason } } };
    if (error instanceof FoghornError && error.status < 500)
      return { status: 400, body: { error: error.message, detail: error.detail ?? null } };
    throw error;
  }
}
