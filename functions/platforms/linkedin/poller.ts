import type { ConnectorContext, Poller, PollResult } from '../../core/connector.js';
import { FoghornError, NormaliseError } from '../../core/errors.js';
import type { CanonicalEvent } from '../../core/event.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { parseWith } from '../shared/payload.js';
import { retryAfterMs } from '../shared/retry-after.js';
import { headerValue, linkedInRequest, parse } from './client.js';
import { notificationEvent, notificationSchema, parseCommentUrn } from './normalise.js';
import { LINKEDIN, LINKEDIN_ACCESS_TOKEN, LINKEDIN_ORGANIZATION_ID } from './settings.js';

type Send = (request: OutboundRequest) => Promise<OutboundResponse>;

/** The actions read: what rules answer. The Page's own comments and likes need no polling. */
const ACTIONS = 'List(COMMENT,SHARE_MENTION)';
const PAGE_SIZE = 50;
/** Enough for 500 notifications between two polls; beyond that the cursor still moves to the newest read. */
const MAX_PAGES = 10;
/** A first poll reads this far back, so switching Foghorn on does not answer the Page's whole history. */
const FIRST_POLL_BACKFILL_MS = 60 * 60_000;
/** LinkedIn keeps notifications 60 days; a cursor older than that asks for what no longer exists. */
const RETENTION_MS = 59 * 24 * 60 * 60_000;

/** A read LinkedIn refused for now (429, 5xx): the next poll tries again from the same cursor. */
export class LinkedInPollError extends FoghornError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message, { status: 503 });
    this.retryAfterMs = retryAfterMs;
  }
}

/** The poller's cursor, stored as JSON: the newest `lastModifiedAt` read (the next poll starts there, inclusive). */
interface LinkedInCursor {
  lastModifiedAt: number;
}

/**
 * For Pages whose app has no webhook use case: reads the Page's comment and mention notifications
 * (`GET /rest/organizationalEntityNotifications?q=criteria`) since the cursor, oldest first. The same
 * notifications as the webhook's, so an event read both ways is one event (its id is the notificationId). A comment
 * notification without its text has it read (`GET /rest/socialActions/{post}/comments/{id}`).
 */
export const linkedInPoller: Poller = {
  platform: LINKEDIN,
  settingsRequired: [LINKEDIN_ACCESS_TOKEN, LINKEDIN_ORGANIZATION_ID],
  async poll(cursor, context): Promise<PollResult> {
    const now = context.now.getTime();
    const previous = parseCursor(cursor);
    const start = Math.max(previous?.lastModifiedAt ?? now - FIRST_POLL_BACKFILL_MS, now - RETENTION_MS);
    const organization = `urn:li:organization:${context.settings.get(LINKEDIN_ORGANIZATION_ID) ?? ''}`;
    const events = new Map<string, CanonicalEvent>();
    const raw = new Map<string, Buffer>();
    const rejected: { reason: string; detail?: unknown; raw: Buffer }[] = [];
    let newest = previous?.lastModifiedAt;
    for (let page = 0; page < MAX_PAGES; page++) {
      const elements = await readPage(context, organization, start, now, page * PAGE_SIZE);
      for (const [index, element] of elements.entries()) {
        const payload = Buffer.from(JSON.stringify(element));
        try {
          const notification = parseWith(notificationSchema, element, `elements.${page * PAGE_SIZE + index}`);
          newest = Math.max(newest ?? 0, notification.lastModifiedAt);
          const event = notificationEvent(notification, `elements.${page * PAGE_SIZE + index}`, context, context.now);
          if (!event || events.has(event.id)) continue;
          events.set(event.id, event.meta?.textMissing ? await withCommentText(event, context) : event);
          raw.set(event.id, payload);
        } catch (error) {
          // One unreadable notification must not stop the Page's polling: it is quarantined and the cursor moves on.
          if (!(error instanceof NormaliseError)) throw error;
          rejected.push({ reason: error.message, detail: error.detail, raw: payload });
        }
      }
      if (elements.length < PAGE_SIZE) break;
    }
    const ordered = [...events.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return {
      events: ordered,
      cursor: newest === undefined ? cursor : JSON.stringify({ lastModifiedAt: newest } satisfies LinkedInCursor),
      raw,
      ...(rejected.length > 0 ? { rejected } : {}),
    };
  },
};

async function readPage(context: ConnectorContext & { send: Send }, organization: string, from: number, to: number, offset: number) {
  // Rest.li 2.0: the urn is percent-encoded, the List(…) and (start:…,end:…) syntax is not.
  const query = [
    'q=criteria',
    `organizationalEntity=${encodeURIComponent(organization)}`,
    `actions=${ACTIONS}`,
    `timeRange=(start:${from},end:${to})`,
    `start=${offset}`,
    `count=${PAGE_SIZE}`,
  ].join('&');
  const response = await context.send(linkedInRequest(context.settings, 'GET', `organizationalEntityNotifications?${query}`));
  failUnlessOk(response, 'organizationalEntityNotifications', context.now);
  const body = parse(response.body) as { elements?: unknown } | undefined;
  if (!Array.isArray(body?.elements))
    throw new FoghornError('linkedin organizationalEntityNotifications did not answer `elements`', { status: 502 });
  return body.elements as unknown[];
}

/** The comment's text (and author) read from the Comments API; a deleted comment (404) keeps its empty text. */
async function withCommentText(event: CanonicalEvent, context: ConnectorContext & { send: Send }): Promise<CanonicalEvent> {
  const urn = typeof event.meta?.commentUrn === 'string' ? parseCommentUrn(event.meta.commentUrn) : undefined;
  if (!urn) return event;
  const path = `socialActions/${encodeURIComponent(urn.thread)}/comments/${encodeURIComponent(urn.commentId)}`;
  const response = await context.send(linkedInRequest(context.settings, 'GET', path));
  if (response.status === 404) return event;
  failUnlessOk(response, 'socialActions comments', context.now);
  const comment = parse(response.body) as { actor?: unknown; message?: { text?: unknown } } | undefined;
  const text = comment?.message?.text;
  if (typeof text !== 'string') return event;
  const { textMissing: _read, ...meta } = event.meta ?? {};
  const author =
    typeof comment?.actor === 'string' && comment.actor !== '' && event.author.id === 'unknown'
      ? { ...event.author, id: comment.actor }
      : event.author;
  return { ...event, text, author, meta };
}

function failUnlessOk(response: OutboundResponse, what: string, now: Date): void {
  if (response.status === 200) return;
  if (response.status === 429 || response.status >= 500)
    throw new LinkedInPollError(
      `linkedin answered HTTP ${response.status} reading ${what}`,
      retryAfterMs(headerValue(response.headers, 'retry-after'), now.getTime()),
    );
  throw new FoghornError(`linkedin answered HTTP ${response.status} reading ${what}: ${response.body.slice(0, 200)}`, { status: 502 });
}

function parseCursor(cursor: string | undefined): LinkedInCursor | undefined {
  if (!cursor) return undefined;
  const parsed = parse(cursor) as Partial<LinkedInCursor> | undefined;
  // An unreadable cursor starts over like a first poll rather than stopping polling.
  return typeof parsed?.lastModifiedAt === 'number' && Number.isFinite(parsed.lastModifiedAt)
    ? { lastModifiedAt: parsed.lastModifiedAt }
    : undefined;
}
