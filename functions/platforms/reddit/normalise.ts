import { z } from 'zod';
import { NormaliseError } from '../../core/errors.js';
import { type CanonicalEvent, type EventKind, eventId } from '../../core/event.js';
import { isoFromEpochMs } from '../shared/epoch.js';
import { lenient, lenientBoolean, lenientNumber, lenientString } from '../shared/lenient.js';
import { nonEmptyId } from '../shared/payload.js';
import { REDDIT } from './settings.js';

/** One child of a /message/inbox or /message/mentions listing: a comment (t1) or a private message (t4). */
export const redditThingSchema = z.looseObject({
  kind: lenientString,
  data: z.looseObject({
    id: lenientString,
    name: lenientString,
    author: lenientString,
    author_fullname: lenientString,
    body: lenientString,
    subject: lenientString,
    subreddit: lenientString,
    subreddit_name_prefixed: lenientString,
    parent_id: lenientString,
    first_message_name: lenientString,
    context: lenientString,
    link_title: lenientString,
    type: lenientString,
    new: lenientBoolean,
    created_utc: lenientNumber,
  }),
});
export type RedditThing = z.infer<typeof redditThingSchema>;

/** A listing; children that are not even objects with `data` are dropped here, the rest judged one by one. */
export const redditListingSchema = z.looseObject({
  kind: lenientString,
  data: lenient(z.looseObject({ after: lenientString, children: lenient(z.array(z.unknown())) })),
});
export type RedditListing = z.infer<typeof redditListingSchema>;

export type RedditSource = 'inbox' | 'mentions';

/**
 * A comment reply, post reply, username mention or private message becomes one event whose id is the
 * item's fullname (`t1_…`, `t4_…`), so reading it again from either listing gives the same event.
 */
export function redditThingToEvent(item: unknown, source: RedditSource, username: string | undefined, receivedAt: Date): CanonicalEvent {
  const parsed = redditThingSchema.safeParse(item);
  if (!parsed.success) throw new NormaliseError('reddit listing item is not an object with `data`', { path: 'data' });
  const thing = parsed.data;
  const { data } = thing;
  const fullname = data.name ?? (data.id && thing.kind ? `${thing.kind}_${data.id}` : undefined);
  if (!fullname) throw new NormaliseError('reddit item without `name` or `id`', { path: 'data.name' });
  if (typeof data.created_utc !== 'number')
    throw new NormaliseError(`reddit item ${fullname} without \`created_utc\``, { path: 'data.created_utc' });
  const author = nonEmptyId(data.author, 'data.author') ?? '[deleted]';
  const authorId = nonEmptyId(data.author_fullname, 'data.author_fullname') ?? author;
  const isMessage = thing.kind === 't4';
  const linkId = linkIdFromContext(data.context);
  const subreddit =
    nonEmptyId(data.subreddit_name_prefixed, 'data.subreddit_name_prefixed') ?? (data.subreddit ? `r/${data.subreddit}` : undefined);

  return {
    id: eventId(REDDIT, fullname),
    platform: REDDIT,
    kind: kindOf(thing, source),
    text: isMessage && data.subject ? `${data.subject}\n${data.body ?? ''}` : (data.body ?? ''),
    author: {
      id: authorId,
      handle: author,
      isSelf: username !== undefined && author.toLowerCase() === username.toLowerCase(),
    },
    channel: subreddit ? { id: subreddit, name: subreddit } : { id: 'messages' },
    thread: {
      ...(isMessage ? { id: data.first_message_name ?? fullname } : linkId ? { id: linkId } : {}),
      ...(data.parent_id ? { replyToId: data.parent_id } : {}),
    },
    createdAt: isoFromEpochMs(data.created_utc * 1000, 'data.created_utc'),
    receivedAt: receivedAt.toISOString(),
    ...(data.context ? { url: `https://www.reddit.com${data.context}` } : {}),
    sentByFoghorn: false,
    meta: {
      fullname,
      source,
      ...(data.type ? { type: data.type } : {}),
      ...(data.subject ? { subject: data.subject } : {}),
      ...(data.link_title ? { linkTitle: data.link_title } : {}),
    },
  };
}

function kindOf(thing: RedditThing, source: RedditSource): EventKind {
  if (thing.kind === 't4') return 'dm';
  if (source === 'mentions' || thing.data.type === 'username_mention') return 'mention';
  if (thing.data.type === 'comment_reply' || thing.data.type === 'post_reply') return 'reply';
  return 'comment';
}

/** `/r/sub/comments/<link id>/<slug>/<comment id>/?context=3` → `t3_<link id>`. */
function linkIdFromContext(context: string | undefined): string | undefined {
  const match = context ? /\/comments\/([a-z0-9]+)\//i.exec(context) : null;
  return match?.[1] ? `t3_${match[1]}` : undefined;
}
