import { z } from 'zod';
import type { Normalised } from '../../core/connector.js';
import { BadRequestError, NormaliseError } from '../../core/errors.js';
import { type CanonicalEvent, type EventKind, eventId } from '../../core/event.js';
import type { InboundRequest } from '../../core/http.js';
import { isoFromEpochMs } from '../shared/epoch.js';
import { lenient, lenientArray, lenientBoolean, lenientString } from '../shared/lenient.js';
import { nonEmptyId } from '../shared/payload.js';
import { SLACK } from './settings.js';

const slackMessageSchema = z.looseObject({
  type: lenientString,
  subtype: lenientString,
  user: lenientString,
  bot_id: lenientString,
  app_id: lenientString,
  username: lenientString,
  text: lenientString,
  ts: lenientString,
  thread_ts: lenientString,
  channel: lenientString,
  channel_type: lenientString,
  user_profile: lenient(z.looseObject({ name: lenientString, display_name: lenientString, real_name: lenientString })),
  bot_profile: lenient(z.looseObject({ name: lenientString })),
  attachments: lenientArray(z.looseObject({ pretext: lenientString, text: lenientString, fallback: lenientString })),
  files: lenientArray(z.looseObject({ title: lenientString })),
  metadata: lenient(z.looseObject({ event_type: lenientString })),
});

/** The Events API envelope (only the fields Foghorn reads); message_changed carries the new version in `message`. */
const slackEnvelopeSchema = z.looseObject({
  type: lenientString,
  challenge: lenientString,
  team_id: lenientString,
  api_app_id: lenientString,
  event_id: lenientString,
  event: lenient(
    slackMessageSchema.extend({
      message: lenient(slackMessageSchema),
      previous_message: lenient(slackMessageSchema),
      event_ts: lenientString,
    }),
  ),
  authorizations: lenientArray(z.looseObject({ user_id: lenientString, is_bot: lenientBoolean })),
});

type SlackEnvelope = z.infer<typeof slackEnvelopeSchema>;
type SlackMessage = z.infer<typeof slackMessageSchema>;

/** Marker Foghorn puts in the metadata of every message it posts (see client.ts). */
export const FOGHORN_METADATA_EVENT_TYPE = 'foghorn_action';

/** Message subtypes that carry something a person (or bot) said; the rest (joins, topic changes, deletions) are not events. */
const CONTENT_SUBTYPES = new Set([undefined, 'bot_message', 'thread_broadcast', 'file_share', 'me_message', 'message_changed']);

export function parseSlackBody(request: InboundRequest): SlackEnvelope {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new BadRequestError('body is not valid JSON', { parseError: (error as Error).message });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new NormaliseError('a Slack delivery is a JSON object');
  return slackEnvelopeSchema.parse(body);
}

/**
 * An `event_callback` becomes one event whose id is Slack's `event_id`, which Slack keeps on its retries
 * (`X-Slack-Retry-Num`), so a redelivery is recognised. Other envelopes are acknowledged without events.
 */
export function normaliseSlack(request: InboundRequest, botUserIdSetting: string | undefined): Normalised {
  const envelope = parseSlackBody(request);
  if (envelope.type === 'url_verification') return { events: [], response: { status: 200, body: { challenge: envelope.challenge } } };
  if (envelope.type !== 'event_callback') return { events: [] };
  const outer = envelope.event;
  if (!outer) throw new NormaliseError('event_callback without an `event` object', { path: 'event' });
  if (typeof envelope.event_id !== 'string' || envelope.event_id === '')
    throw new NormaliseError('event_callback without `event_id`', { path: 'event_id' });
  if (outer.type !== 'message' && outer.type !== 'app_mention') return { events: [] };
  if (outer.type === 'message' && !CONTENT_SUBTYPES.has(outer.subtype)) return { events: [] };

  // An edit carries the new version of the message inside; the channel stays on the outer event.
  const edited = outer.subtype === 'message_changed' && outer.message !== undefined;
  const message: SlackMessage = edited && outer.message ? outer.message : outer;
  const messagePath = edited ? 'event.message' : 'event';
  // Slack also sends message_changed when it unfurls a link: same text, nothing new said.
  if (outer.subtype === 'message_changed' && outer.previous_message?.text === message.text) return { events: [] };
  const channel = outer.channel ?? message.channel;
  if (!channel) throw new NormaliseError('message event without `channel`', { path: 'event.channel' });
  const ts = message.ts ?? outer.event_ts;
  if (!ts) throw new NormaliseError('message event without `ts`', { path: 'event.ts' });

  const botUserId = botUserIdSetting ?? envelope.authorizations?.find((entry) => entry.is_bot)?.user_id;
  const fromThisApp = message.app_id !== undefined && message.app_id === envelope.api_app_id;
  const isSelf = (botUserId !== undefined && message.user === botUserId) || fromThisApp;
  const threadTs = message.thread_ts;
  const isThreadReply = threadTs !== undefined && threadTs !== ts;

  const event: CanonicalEvent = {
    id: eventId(SLACK, envelope.event_id),
    platform: SLACK,
    kind: kindOf(outer.type, outer.channel_type, isThreadReply),
    text: textOf(message),
    author: {
      id: nonEmptyId(message.user, `${messagePath}.user`) ?? nonEmptyId(message.bot_id, `${messagePath}.bot_id`) ?? 'unknown',
      ...optional('handle', message.user_profile?.name ?? message.username),
      ...optional('name', nonEmpty(message.user_profile?.display_name) ?? message.user_profile?.real_name ?? message.bot_profile?.name),
      isSelf,
    },
    channel: { id: channel, ...(outer.channel_type === 'im' ? { direct: true } : {}) },
    thread: { id: threadTs ?? ts, ...optional('replyToId', isThreadReply ? threadTs : undefined) },
    createdAt: slackTsToIso(ts),
    receivedAt: request.receivedAt.toISOString(),
    sentByFoghorn: fromThisApp || message.metadata?.event_type === FOGHORN_METADATA_EVENT_TYPE,
    meta: {
      eventType: outer.type,
      ts,
      ...optional('threadTs', threadTs),
      ...optional('channelType', outer.channel_type),
      ...optional('subtype', outer.subtype),
      ...optional('teamId', envelope.team_id),
      ...(outer.subtype === 'message_changed' ? { edited: true } : {}),
      ...optional('retryNum', request.headers['x-slack-retry-num']),
    },
  };
  return { events: [event] };
}

function kindOf(type: string | undefined, channelType: string | undefined, isThreadReply: boolean): EventKind {
  if (type === 'app_mention') return 'mention';
  if (channelType === 'im') return 'dm';
  return isThreadReply ? 'reply' : 'message';
}

/** The message text plus what it quotes: shared messages and link previews arrive as attachments, files by title. */
function textOf(message: SlackMessage): string {
  const parts = [message.text ?? ''];
  for (const attachment of message.attachments ?? []) {
    for (const part of [attachment.pretext, attachment.text ?? attachment.fallback]) if (part) parts.push(part);
  }
  for (const file of message.files ?? []) if (file.title) parts.push(file.title);
  return parts.filter((part) => part !== '').join('\n');
}

/** Slack's `ts` is "<seconds>.<microseconds>". */
export function slackTsToIso(ts: string): string {
  return isoFromEpochMs(Number(ts) * 1000, 'event.ts');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
