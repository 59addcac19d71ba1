import { z } from 'zod';
import type { ConnectorContext, Normalised } from '../../core/connector.js';
import { NormaliseError } from '../../core/errors.js';
import { type CanonicalEvent, type EventKind, eventId } from '../../core/event.js';
import type { InboundRequest } from '../../core/http.js';
import { isoFromEpochMs } from '../shared/epoch.js';
import { lenient, lenientString } from '../shared/lenient.js';
import { nonEmptyId, parseJson, parseWith } from '../shared/payload.js';
import { LINKEDIN, LINKEDIN_ORGANIZATION_ID } from './settings.js';

/** The one webhook event type of organisation pages; other types (lead sync) are acknowledged with no event. */
export const SOCIAL_ACTION_NOTIFICATIONS = 'ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS';

/**
 * What each action becomes. Likes, edits and deletions are not rule input: an edit of a comment already answered
 * must not be answered again, and a like or a deletion has nothing to say. SHARE is a reshare of the Page's post.
 */
const KINDS: Readonly<Record<string, EventKind>> = {
  COMMENT: 'comment',
  ADMIN_COMMENT: 'comment',
  SHARE_MENTION: 'mention',
  SHARE: 'post',
};

const typeSchema = z.looseObject({ type: z.string() });
const envelopeSchema = z.looseObject({ notifications: z.array(z.unknown()) });

const decoratedSchema = lenient(z.looseObject({ entity: lenientString, owner: lenientString, text: lenientString, object: lenientString }));

/** One OrganizationSocialActionNotification, pushed or pulled (organizationalEntityNotifications), the same shape. */
export const notificationSchema = z.looseObject({
  /** Documented on pushed notifications; the pulled ones may go without (the poller then keys by action and urn). */
  notificationId: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).optional(),
  organizationalEntity: z.string().min(1),
  action: z.string(),
  lastModifiedAt: z.number(),
  sourcePost: lenientString,
  generatedActivity: lenientString,
  decoratedSourcePost: decoratedSchema,
  decoratedGeneratedActivity: lenient(z.looseObject({ comment: decoratedSchema, share: decoratedSchema })),
});
export type LinkedInNotification = z.infer<typeof notificationSchema>;

/**
 * `urn:li:comment:(<the post's activity, share or ugcPost urn>,<comment id>)`. Webhook deliveries also write the
 * post without its `urn:li:` (`urn:li:comment:(activity:…,…)`) in `generatedActivity`, beside the full form in the
 * decoration: both are read, and the full form is what Foghorn keeps and sends back.
 */
const COMMENT_URN = /^urn:li:comment:\(((?:urn:li:)?[A-Za-z]+:[^,()]+),([^,()]+)\)$/;

export function parseCommentUrn(urn: string): { thread: string; commentId: string; urn: string } | undefined {
  const match = COMMENT_URN.exec(urn);
  if (!match?.[1] || !match[2]) return undefined;
  const thread = match[1].startsWith('urn:li:') ? match[1] : `urn:li:${match[1]}`;
  return { thread, commentId: match[2], urn: `urn:li:comment:(${thread},${match[2]})` };
}

/**
 * A delivery of up to 10 notifications (`{type, notifications}`): each comment, mention and reshare becomes one
 * event, keyed by its notificationId (LinkedIn delivers at least once and retries for 8 hours).
 */
export function normaliseLinkedIn(request: InboundRequest, context: ConnectorContext): Normalised {
  const body = parseJson(request.rawBody);
  if (parseWith(typeSchema, body, 'body').type !== SOCIAL_ACTION_NOTIFICATIONS) return { events: [] };
  const envelope = parseWith(envelopeSchema, body, 'body');
  const events: CanonicalEvent[] = [];
  envelope.notifications.forEach((item, index) => {
    const where = `notifications.${index}`;
    const notification = parseWith(notificationSchema, item, where);
    if (notification.notificationId === undefined)
      throw new NormaliseError(`\`${where}.notificationId\` is missing`, { path: `${where}.notificationId` });
    const event = notificationEvent(notification, where, context, request.receivedAt);
    if (event) events.push(event);
  });
  return { events };
}

/**
 * The event a notification stands for, or undefined for an action that is not rule input. The text is the
 * decorated comment's or share's; where LinkedIn sent no decoration, it is empty and `meta.textMissing` says so
 * (the poller reads such a comment's text; the webhook path never calls out).
 */
export function notificationEvent(
  notification: LinkedInNotification,
  where: string,
  context: ConnectorContext,
  receivedAt: Date,
): CanonicalEvent | undefined {
  // An own key only: an action such as "valueOf" must not find Object.prototype's.
  const kind = Object.hasOwn(KINDS, notification.action) ? KINDS[notification.action] : undefined;
  if (kind === undefined) return undefined;
  const organization = notification.organizationalEntity;
  const configured = context.settings.get(LINKEDIN_ORGANIZATION_ID);
  const ours = new Set([organization, ...(configured ? [`urn:li:organization:${configured}`] : [])]);
  const decorated = notification.decoratedGeneratedActivity;
  const activity = kind === 'comment' ? decorated?.comment : decorated?.share;
  const written = nonEmptyId(notification.generatedActivity ?? activity?.entity, `${where}.generatedActivity`);
  if (written === undefined) throw new NormaliseError(`\`${where}.generatedActivity\` is missing`, { path: `${where}.generatedActivity` });
  const generated = (kind === 'comment' ? parseCommentUrn(written)?.urn : undefined) ?? written;
  const owner = nonEmptyId(activity?.owner, `${where}.decoratedGeneratedActivity.owner`);
  const isSelf = notification.action === 'ADMIN_COMMENT' || (owner !== undefined && ours.has(owner));
  const text = activity?.text;

  const target = replyTarget(kind, generated, notification.sourcePost, where);
  const post = nonEmptyId(notification.sourcePost, `${where}.sourcePost`) ?? target.object;
  return {
    id: eventId(
      LINKEDIN,
      notification.notificationId === undefined ? `${notification.action}:${generated}` : String(notification.notificationId),
    ),
    platform: LINKEDIN,
    kind,
    text: text ?? '',
    author: { id: owner ?? (isSelf ? organization : 'unknown'), isSelf },
    channel: { id: organization },
    thread: { id: post, ...(kind === 'comment' ? { replyToId: generated } : {}) },
    createdAt: isoFromEpochMs(notification.lastModifiedAt, `${where}.lastModifiedAt`),
    receivedAt: receivedAt.toISOString(),
    url: `https://www.linkedin.com/feed/update/${post}/${kind === 'comment' ? `?commentUrn=${encodeURIComponent(generated)}` : ''}`,
    sentByFoghorn: false,
    meta: {
      action: notification.action,
      ...(notification.notificationId === undefined ? {} : { notificationId: String(notification.notificationId) }),
      postUrn: post,
      ...(kind === 'comment' ? { commentUrn: generated } : { shareUrn: generated }),
      // Where a reply goes: POST /rest/socialActions/{commentsOn}/comments with `object` (and `parentComment`).
      commentsOn: target.commentsOn,
      object: target.object,
      ...(target.parentComment ? { parentComment: target.parentComment } : {}),
      ...(text === undefined ? { textMissing: true } : {}),
    },
  };
}

/** A comment is answered under it (a nested comment on its post); a mention or reshare, by a comment on that post. */
function replyTarget(
  kind: EventKind,
  generated: string,
  sourcePost: string | undefined,
  where: string,
): { commentsOn: string; object: string; parentComment?: string } {
  if (kind !== 'comment') return { commentsOn: generated, object: generated };
  const parsed = parseCommentUrn(generated);
  const object = parsed?.thread ?? sourcePost;
  if (object === undefined)
    throw new NormaliseError(`\`${where}.generatedActivity\` is no comment urn and \`${where}.sourcePost\` is missing`, {
      path: `${where}.generatedActivity`,
    });
  return { commentsOn: generated, object, parentComment: generated };
}
