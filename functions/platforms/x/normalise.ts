import { z } from 'zod';
import type { ConnectorContext, Normalised } from '../../core/connector.js';
import { NormaliseError } from '../../core/errors.js';
import type { CanonicalEvent, EventKind } from '../../core/event.js';
import { eventId } from '../../core/event.js';
import type { InboundRequest } from '../../core/http.js';
import { isoFromEpochMs, isUsableEpochMs } from '../shared/epoch.js';
import { parseJson, parseWith } from '../shared/payload.js';

export const X = 'x';
/** The subscribed account; every delivery names it in `for_user_id`, this is checked against it when set. */
export const X_USER_ID = 'FOGHORN_X_USER_ID';
/** Foghorn's X app id: a DM whose `source_app_id` is this was sent by Foghorn. */
export const X_APP_ID = 'FOGHORN_X_APP_ID';
/** Foghorn's X app name: an own post whose `source` names this app was posted by Foghorn. */
export const X_APP_NAME = 'FOGHORN_X_APP_NAME';

/** X's ids are never empty; an empty one would make an event with no author, channel or id. */
const xId = z.string().min(1);

/**
 * A Tweet's `lang` is a BCP 47 tag (`en`, `pt-BR`) or `und`; X also uses its own three-letter codes (`qme`). A value
 * of another form says nothing a rule can use, so it is dropped rather than the delivery refused.
 */
const tweetLang = z
  .string()
  .nullable()
  .optional()
  .transform((lang) => (lang && lang !== 'und' && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(lang) && lang.length <= 16 ? lang : undefined));

const xUserSchema = z.looseObject({
  id_str: xId.optional(),
  id: z.union([xId, z.number()]).optional(),
  screen_name: z.string().optional(),
  name: z.string().optional(),
  followers_count: z.number().int().nonnegative().optional(),
  verified: z.boolean().optional(),
});

type Tweet = {
  id_str: string;
  source?: string | undefined;
  created_at?: string | undefined;
  timestamp_ms?: string | undefined;
  text?: string | undefined;
  full_text?: string | undefined;
  extended_tweet?: { full_text?: string | undefined } | undefined;
  user: z.infer<typeof xUserSchema>;
  in_reply_to_status_id_str?: string | null | undefined;
  in_reply_to_user_id_str?: string | null | undefined;
  lang?: string | undefined;
  entities?: { user_mentions?: Array<{ id_str?: string | undefined }> | undefined } | undefined;
  quoted_status?: Tweet | undefined;
  retweeted_status?: Tweet | undefined;
};

/** A v1.1 Tweet object as the Account Activity API delivers it in `tweet_create_events`. */
const tweetSchema: z.ZodType<Tweet> = z.lazy(() =>
  z.looseObject({
    id_str: xId,
    source: z.string().optional(),
    created_at: z.string().optional(),
    timestamp_ms: z.string().optional(),
    text: z.string().optional(),
    full_text: z.string().optional(),
    extended_tweet: z.looseObject({ full_text: z.string().optional() }).optional(),
    user: xUserSchema,
    in_reply_to_status_id_str: z.string().nullable().optional(),
    in_reply_to_user_id_str: z.string().nullable().optional(),
    lang: tweetLang,
    entities: z.looseObject({ user_mentions: z.array(z.looseObject({ id_str: z.string().optional() })).optional() }).optional(),
    quoted_status: tweetSchema.optional(),
    retweeted_status: tweetSchema.optional(),
  }),
);

const dmEventSchema = z.looseObject({
  type: z.string(),
  id: xId,
  created_timestamp: z.string(),
  message_create: z
    .looseObject({
      target: z.looseObject({ recipient_id: xId }),
      sender_id: xId,
      source_app_id: z.string().optional(),
      message_data: z.looseObject({ text: z.string().optional() }),
    })
    .optional(),
});

/** `user_event.revoke`: a user removed the app's authorisation, and X deleted the subscription. */
const revokeSchema = z.looseObject({
  date_time: z.string().optional(),
  target: z.looseObject({ app_id: z.string().optional() }).optional(),
  source: z.looseObject({ user_id: xId }),
});

const activitySchema = z.looseObject({
  // Absent from the documented `user_event` payload, present on every other one.
  for_user_id: xId.optional(),
  user_event: z.looseObject({ revoke: z.unknown().optional() }).optional(),
  tweet_create_events: z.array(z.unknown()).optional(),
  direct_message_events: z.array(z.unknown()).optional(),
  users: z.record(z.string(), xUserSchema).optional(),
});

/**
 * An Account Activity delivery: each Tweet in `tweet_create_events` (mentions, replies, quotes, the account's own
 * posts) and each `message_create` in `direct_message_events` becomes one event; other activity becomes nothing.
 */
export function normaliseX(request: InboundRequest, context: ConnectorContext): Normalised {
  const activity = parseWith(activitySchema, parseJson(request.rawBody), 'delivery');
  const receivedAt = request.receivedAt.toISOString();
  if (activity.user_event?.revoke !== undefined) {
    const revoke = parseWith(revokeSchema, activity.user_event.revoke, 'user_event.revoke');
    return revokeNotice(revoke, activity.for_user_id ?? revoke.source.user_id, request.receivedAt);
  }
  const configured = context.settings.get(X_USER_ID);
  const self = activity.for_user_id ?? configured;
  if (self === undefined)
    throw new NormaliseError('delivery has no for_user_id (and FOGHORN_X_USER_ID is not set)', { path: 'for_user_id' });
  if (configured !== undefined && configured !== self) {
    throw new NormaliseError(`delivery is for user ${self}, but ${X_USER_ID} is ${configured}`);
  }
  const events: CanonicalEvent[] = [];
  activity.tweet_create_events?.forEach((item, index) => {
    const where = `tweet_create_events.${index}`;
    events.push(tweetEvent(parseWith(tweetSchema, item, where), where, self, context.settings.get(X_APP_NAME), receivedAt));
  });
  activity.direct_message_events?.forEach((item, index) => {
    const dm = parseWith(dmEventSchema, item, `direct_message_events.${index}`);
    if (dm.type !== 'message_create' || !dm.message_create) return;
    const { sender_id: senderId, target, source_app_id: appId, message_data: data } = dm.message_create;
    const sender = activity.users?.[senderId];
    const isSelf = senderId === self;
    const otherParty = isSelf ? target.recipient_id : senderId;
    events.push({
      id: eventId(X, dm.id),
      platform: X,
      kind: 'dm',
      text: data.text ?? '',
      author: { id: senderId, ...userFields(sender), isSelf },
      channel: { id: self },
      thread: { id: otherParty },
      createdAt: isoFromEpochMs(millisOf(dm.created_timestamp), `direct_message_events.${index}.created_timestamp`),
      receivedAt,
      ...(isSelf && appId !== undefined && appId === context.settings.get(X_APP_ID) ? { sentByFoghorn: true } : {}),
      meta: { dmEventId: dm.id, recipientId: otherParty, ...(appId ? { sourceAppId: appId } : {}) },
    });
  });
  return { events };
}

/**
 * The subscription is gone: nothing more arrives from this account until it is subscribed again. A `system`
 * event (rules escalate on `meta.notice: authorization_revoked`) and an alert the ingest logs as an error.
 */
function revokeNotice(revoke: z.infer<typeof revokeSchema>, self: string, receivedAt: Date): Normalised {
  const userId = revoke.source.user_id;
  const appId = revoke.target?.app_id;
  const at = revoke.date_time === undefined ? Number.NaN : Date.parse(revoke.date_time);
  // The notice matters more than its time: a date_time no event can hold becomes the time it arrived.
  const createdAt = isUsableEpochMs(at) ? new Date(at).toISOString() : receivedAt.toISOString();
  const app = appId === undefined ? 'the app' : `app ${appId}`;
  const text = `X user ${userId} revoked ${app}'s authorisation at ${createdAt}: its Account Activity subscription is deleted, and no more activity arrives until the account is subscribed again`;
  return {
    events: [
      {
        id: eventId(X, `revoke:${userId}:${createdAt}`),
        platform: X,
        kind: 'system',
        text,
        // Not isSelf, so escalation rules still act on it.
        author: { id: userId, isSelf: false },
        channel: { id: self },
        thread: {},
        createdAt,
        receivedAt: receivedAt.toISOString(),
        meta: { notice: 'authorization_revoked', userId, ...(appId === undefined ? {} : { appId }) },
      },
    ],
    alerts: [text],
  };
}

function tweetEvent(tweet: Tweet, where: string, self: string, appName: string | undefined, receivedAt: string): CanonicalEvent {
  const authorId = tweet.user.id_str ?? String(tweet.user.id ?? 'unknown');
  const quoted = tweet.quoted_status ? fullText(tweet.quoted_status) : undefined;
  const text = tweet.retweeted_status ? fullText(tweet.retweeted_status) : fullText(tweet);
  const replyToId = tweet.in_reply_to_status_id_str ?? undefined;
  const sentByFoghorn = authorId === self && appName !== undefined && sourceName(tweet.source) === appName;
  return {
    id: eventId(X, tweet.id_str),
    platform: X,
    kind: tweetKind(tweet, authorId, self),
    text: quoted === undefined ? text : `${text}\n\n${quoted}`,
    ...(tweet.lang ? { lang: tweet.lang } : {}),
    author: { id: authorId, ...userFields(tweet.user), isSelf: authorId === self },
    channel: { id: self },
    thread: replyToId ? { replyToId } : {},
    createdAt: tweetTime(tweet, where),
    receivedAt,
    ...(sentByFoghorn ? { sentByFoghorn: true } : {}),
    ...(tweet.user.screen_name ? { url: `https://x.com/${tweet.user.screen_name}/status/${tweet.id_str}` } : {}),
    meta: {
      tweetId: tweet.id_str,
      ...(tweet.in_reply_to_user_id_str ? { inReplyToUserId: tweet.in_reply_to_user_id_str } : {}),
      ...(tweet.quoted_status ? { quotedTweetId: tweet.quoted_status.id_str, quotedText: quoted } : {}),
      ...(tweet.retweeted_status ? { retweetedTweetId: tweet.retweeted_status.id_str } : {}),
    },
  };
}

function tweetKind(tweet: Tweet, authorId: string, self: string): EventKind {
  if (tweet.retweeted_status) return 'other';
  if (authorId === self) return tweet.in_reply_to_status_id_str ? 'reply' : 'post';
  if (tweet.in_reply_to_user_id_str === self) return 'reply';
  const mentioned = tweet.entities?.user_mentions?.some((mention) => mention.id_str === self) ?? false;
  const quotesSelf = tweet.quoted_status?.user.id_str === self;
  return mentioned || quotesSelf ? 'mention' : 'post';
}

/** `source` is an HTML link whose text is the posting app's name: `<a href="…" rel="nofollow">Foghorn</a>`. */
function sourceName(source: string | undefined): string | undefined {
  return source === undefined ? undefined : (/>([^<]*)<\/a>\s*$/.exec(source)?.[1] ?? source).trim();
}

/** Long Tweets keep their text in `extended_tweet.full_text`; `text` is then cut at 140 characters. */
function fullText(tweet: Tweet): string {
  return tweet.extended_tweet?.full_text ?? tweet.full_text ?? tweet.text ?? '';
}

function tweetTime(tweet: Tweet, where: string): string {
  if (tweet.timestamp_ms !== undefined) return isoFromEpochMs(millisOf(tweet.timestamp_ms), `${where}.timestamp_ms`);
  return isoFromEpochMs(Date.parse(tweet.created_at ?? ''), `${where}.created_at`);
}

/** Milliseconds written as a string; a blank one is no time (Number('') would be 1970). */
function millisOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function userFields(user: z.infer<typeof xUserSchema> | undefined) {
  return {
    ...(user?.screen_name ? { handle: user.screen_name } : {}),
    ...(user?.name ? { name: user.name } : {}),
    ...(user?.followers_count !== undefined ? { followers: user.followers_count } : {}),
    ...(user?.verified !== undefined ? { verified: user.verified } : {}),
  };
}
