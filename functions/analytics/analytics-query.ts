import { z } from 'zod';
import { BadQueryError } from '../core/api-query.js';
import { isDuration, parseDuration } from '../core/duration.js';
import { GROUP_BY, type GroupBy, type ReportRange } from './report.js';

/**
 * `GET /api/analytics?from=&to=&by=`: `to` defaults to now, `from` to 24 hours before `to`; both are an ISO time
 * or a duration back (`7d`: from seven days before `to`, `to=1h`: an hour before now). The range is widened to
 * whole hours (`to` up to the next hour, so the current hour is in it) and is at most MAX_RANGE_DAYS long.
 */
export const MAX_RANGE_DAYS = 92;
export const DEFAULT_RANGE = '24h';

const HOUR_MS = 3_600_000;
const ISO_OR_DURATION = 'an ISO 8601 time such as 2026-11-22T09:00:00Z, or a duration back such as 24h, 7d or 30d';

/** The parameters as the OpenAPI document describes them. */
export const ANALYTICS_PARAMETERS = [
  {
    name: 'from',
    in: 'query',
    required: false,
    description: `Where the range starts: ${ISO_OR_DURATION} (before \`to\`); 24 hours before \`to\` when absent.`,
    schema: { type: 'string' },
  },
  {
    name: 'to',
    in: 'query',
    required: false,
    description: `Where the range ends (exclusive, widened to the next whole hour): ${ISO_OR_DURATION} (back from now); now when absent.`,
    schema: { type: 'string' },
  },
  {
    name: 'by',
    in: 'query',
    required: false,
    description:
      'How the groups are formed. `team` and `person`: by who owned the conversation when it was first answered; what no owner is known for is the group `(unassigned)`.',
    schema: { type: 'string', enum: [...GROUP_BY], default: 'platform' },
  },
];

export function analyticsRange(query: URLSearchParams, now: Date): ReportRange {
  const rawTo = query.get('to');
  const until = rawTo === null ? now : timeOf('to', rawTo, now.getTime());
  const to = new Date(Math.ceil(until.getTime() / HOUR_MS) * HOUR_MS);
  const rawFrom = query.get('from') ?? DEFAULT_RANGE;
  const from = isDuration(rawFrom)
    ? new Date(to.getTime() - parseDuration(rawFrom))
    : new Date(Math.floor(timeOf('from', rawFrom, to.getTime()).getTime() / HOUR_MS) * HOUR_MS);
  if (from.getTime() >= to.getTime()) throw new BadQueryError('from', `earlier than to (${to.toISOString()})`, rawFrom);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 24 * HOUR_MS)
    throw new BadQueryError('from', `at most ${MAX_RANGE_DAYS} days before to (${to.toISOString()})`, rawFrom);
  const by = query.get('by') ?? 'platform';
  if (!(GROUP_BY as readonly string[]).includes(by)) throw new BadQueryError('by', `one of ${GROUP_BY.join(', ')}`, by);
  return { from, to, by: by as GroupBy };
}

function timeOf(name: 'from' | 'to', raw: string, backFrom: number): Date {
  if (isDuration(raw)) return new Date(backFrom - parseDuration(raw));
  if (!z.iso.datetime({ offset: true }).safeParse(raw).success && !z.iso.date().safeParse(raw).success)
    throw new BadQueryError(name, ISO_OR_DURATION, raw);
  return new Date(raw);
}
