import { z } from 'zod';
import { isDuration, parseDuration } from './duration.js';
import { FoghornError } from './errors.js';
import { EVENT_KINDS } from './event.js';
import type { ActionStatus } from './ports.js';

/**
 * The query parameters of Foghorn's listings, one grammar for every route: `limit` on each listing, the
 * filters of `/api/events` and `/api/actions`, and the `cursor` that continues a listing. The zod schemas
 * validate the request and, through `z.toJSONSchema`, describe it in the OpenAPI document.
 */

export const MAX_LIMIT = 10_000;
export const DEFAULT_LIMIT = 100;

export const ACTION_STATUSES = [
  'in-progress',
  'retrying',
  'succeeded',
  'failed',
  'held',
  'unknown',
] as const satisfies readonly ActionStatus[];
type MissingStatus = Exclude<ActionStatus, (typeof ACTION_STATUSES)[number]>;
const everyStatusListed: MissingStatus extends never ? true : false = true;
void everyStatusListed;

export const EVENT_STATUSES = ['published', 'unpublished'] as const;

const ISO_OR_DURATION = 'an ISO 8601 time such as 2025-01-31T09:00:00Z, or a duration back from now such as 30m, 24h or 7d';

/** Each parameter: its schema (what is allowed) and the words a refusal uses for it. */
const parameter = {
  limit: {
    schema: z
      .string()
      .regex(/^[1-9][0-9]*$/)
      .meta({
        description: `How many items, a whole number from 1 to ${MAX_LIMIT} (larger is read as ${MAX_LIMIT}); ${DEFAULT_LIMIT} when absent.`,
      }),
    allowed: `a whole number from 1 to ${MAX_LIMIT.toLocaleString('en')}`,
  },
  cursor: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .meta({ description: 'The `next` of the previous page, with the same filters, to continue the listing.' }),
    allowed: "the 'next' of a previous answer of this listing, sent with the same filters",
  },
  platform: {
    schema: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
      .meta({ description: 'Only this platform (x, telegram, generic, …).' }),
    allowed: 'a platform name such as x, telegram or generic (lower case letters, digits, - and _)',
  },
  kind: { schema: z.enum(EVENT_KINDS).meta({ description: 'Only events of this kind.' }), allowed: `one of ${EVENT_KINDS.join(', ')}` },
  eventStatus: {
    schema: z.enum(EVENT_STATUSES).meta({ description: 'published: it reached the bus; unpublished: stored, not yet published.' }),
    allowed: `one of ${EVENT_STATUSES.join(', ')}`,
  },
  actionStatus: {
    schema: z.enum(ACTION_STATUSES).meta({ description: 'Only actions in this status (docs/delivery.md).' }),
    allowed: `one of ${ACTION_STATUSES.join(', ')}`,
  },
  rule: {
    schema: z.string().min(1).max(200).meta({ description: 'Only actions of this rule id.' }),
    allowed: 'a rule id',
  },
  since: {
    schema: z
      .string()
      .min(1)
      .meta({ description: `From this time on (inclusive): ${ISO_OR_DURATION}.` }),
    allowed: ISO_OR_DURATION,
  },
  until: {
    schema: z
      .string()
      .min(1)
      .meta({ description: `Before this time (exclusive): ${ISO_OR_DURATION}.` }),
    allowed: ISO_OR_DURATION,
  },
  type: {
    schema: z.string().min(1).max(64).meta({ description: 'Only actions of this type (reply, escalate, tag, …).' }),
    allowed: 'an action type such as reply or escalate',
  },
  owner: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/)
      .meta({ description: 'Only events of conversations this person (a key of people:) owns.' }),
    allowed: 'a person, a key of people: in foghorn.config.yaml',
  },
  team: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/)
      .meta({ description: 'Only events of conversations assigned to this team (a key of teams:).' }),
    allowed: 'a team, a key of teams: in foghorn.config.yaml',
  },
} as const;

type ParameterName = keyof typeof parameter;

/** The parameters each listing reads; a filter of another listing is refused rather than silently ignored. */
const LISTINGS = {
  events: {
    limit: 'limit',
    cursor: 'cursor',
    platform: 'platform',
    kind: 'kind',
    status: 'eventStatus',
    since: 'since',
    until: 'until',
    owner: 'owner',
    team: 'team',
  },
  actions: {
    limit: 'limit',
    cursor: 'cursor',
    platform: 'platform',
    status: 'actionStatus',
    rule: 'rule',
    type: 'type',
    since: 'since',
    until: 'until',
  },
  limitOnly: { limit: 'limit' },
} as const satisfies Record<string, Record<string, ParameterName>>;

export type ListingName = keyof typeof LISTINGS;

const FILTER_NAMES = ['platform', 'kind', 'status', 'rule', 'type', 'since', 'until', 'owner', 'team'] as const;

export class BadQueryError extends FoghornError {
  constructor(
    readonly parameter: string,
    allowed: string,
    got: string,
  ) {
    super(`${parameter} must be ${allowed}, got '${got}'`, { status: 400, detail: { parameter, allowed, got } });
    this.name = 'BadQueryError';
  }
}

/** `?limit=`: a whole number from 1 to 10,000 (larger is read as 10,000), 100 when absent; anything else is a BadQueryError. */
export function limitOf(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null) return DEFAULT_LIMIT;
  if (!parameter.limit.schema.safeParse(raw).success) throw new BadQueryError('limit', parameter.limit.allowed, raw);
  return Math.min(Number(raw), MAX_LIMIT);
}

/** A listing's validated query: the limit, the cursor to continue from, and the filters. */
export interface ListingQuery {
  limit: number;
  cursor?: string;
  platform?: string;
  kind?: (typeof EVENT_KINDS)[number];
  status?: string;
  rule?: string;
  type?: string;
  /** Events of conversations this person owns, or assigned to this team (read beside the listing, not by the store). */
  owner?: string;
  team?: string;
  /** ISO times (toISOString), `since` inclusive and `until` exclusive. */
  since?: string;
  until?: string;
  /** The filters as one string: a cursor is valid only with the filters of the page that gave it. */
  fingerprint: string;
}

export function listingQuery(listing: 'events' | 'actions', query: URLSearchParams, now: Date): ListingQuery {
  const accepted: Record<string, ParameterName> = LISTINGS[listing];
  for (const name of FILTER_NAMES) {
    if (query.has(name) && !(name in accepted)) {
      throw new BadQueryError(
        name,
        `absent: /api/${listing} filters by ${Object.keys(accepted)
          .filter((n) => n !== 'limit' && n !== 'cursor')
          .join(', ')}`,
        query.get(name) ?? '',
      );
    }
  }
  const result: ListingQuery = { limit: limitOf(query), fingerprint: '' };
  const fingerprint: string[] = [];
  for (const [name, spec] of Object.entries(accepted)) {
    const raw = query.get(name);
    if (raw === null || name === 'limit') continue;
    const { schema, allowed } = parameter[spec];
    if (!(schema as z.ZodType).safeParse(raw).success) throw new BadQueryError(name, allowed, raw);
    const value = name === 'since' || name === 'until' ? timeOf(name, raw, now) : raw;
    (result as unknown as Record<string, string>)[name] = value;
    if (name !== 'cursor') fingerprint.push(`${name}=${value}`);
  }
  if (result.since && result.until && result.since >= result.until)
    throw new BadQueryError('until', `later than since (${result.since})`, query.get('until') ?? '');
  result.fingerprint = fingerprint.join('&');
  return result;
}

function timeOf(name: 'since' | 'until', raw: string, now: Date): string {
  if (isDuration(raw)) return new Date(now.getTime() - parseDuration(raw)).toISOString();
  if (!z.iso.datetime({ offset: true }).safeParse(raw).success && !z.iso.date().safeParse(raw).success)
    throw new BadQueryError(name, parameter[name].allowed, raw);
  return new Date(raw).toISOString();
}

/** The OpenAPI parameters of a listing, from the schemas above. */
export function listingParameters(listing: ListingName): Array<Record<string, unknown>> {
  return Object.entries(LISTINGS[listing]).map(([name, spec]) => {
    const { description, ...schema } = z.toJSONSchema(parameter[spec].schema as z.ZodType, {
      io: 'input',
      target: 'draft-2020-12',
    }) as Record<string, unknown>;
    delete schema.$schema;
    return { name, in: 'query', required: false, description, schema };
  });
}
