import { z } from 'zod';
import { NormaliseError } from '../../core/errors.js';
import type { CanonicalEvent } from '../../core/event.js';
import type { ListenSourceConfig } from '../config.js';
import { plainText } from '../feed/normalise.js';

/** The parts of a Status a mention needs (https://docs.joinmastodon.org/entities/Status/). */
export const statusSchema = z.looseObject({
  id: z.string().min(1),
  uri: z.string().min(1),
  url: z.string().nullable().optional(),
  created_at: z.string(),
  content: z.string().default(''),
  spoiler_text: z.string().default(''),
  in_reply_to_id: z.string().nullable().optional(),
  language: z.string().nullable().optional(),
  account: z.looseObject({
    id: z.string(),
    username: z.string(),
    acct: z.string(),
    display_name: z.string().optional(),
    followers_count: z.number().int().nonnegative().optional(),
  }),
  reblog: z.unknown().nullable().optional(),
});

/**
 * A status the source found, as a `mention`. Its id is the ActivityPub `uri`, the same whichever instance it was read
 * from, so one post heard on two instances is one event; `meta.statusId` and `meta.instance` are what a reply needs.
 */
export function statusToEvent(value: unknown, instance: string, config: ListenSourceConfig, now: Date): CanonicalEvent {
  const parsed = statusSchema.safeParse(value);
  if (!parsed.success) throw new NormaliseError('a mastodon status is not a Status', parsed.error.issues);
  const status = parsed.data;
  const at = now.toISOString();
  const created = Date.parse(status.created_at);
  const host = new URL(instance).host;
  // A local account's acct is bare (`alice`); on this instance it is alice@host.
  const acct = status.account.acct.includes('@') ? status.account.acct : `${status.account.acct}@${host}`;
  const self = config.self.map((name) => name.toLowerCase().replace(/^@/, ''));
  const body = plainText(status.content);
  return {
    id: `mastodon:${status.uri}`,
    platform: 'mastodon',
    kind: 'mention',
    text: status.spoiler_text ? `${status.spoiler_text}\n\n${body}` : body,
    author: {
      id: acct,
      handle: acct,
      ...(status.account.display_name ? { name: status.account.display_name } : {}),
      ...(status.account.followers_count !== undefined ? { followers: status.account.followers_count } : {}),
      ...(self.includes(acct.toLowerCase()) || self.includes(status.account.acct.toLowerCase()) ? { isSelf: true } : {}),
    },
    channel: { id: host },
    thread: status.in_reply_to_id ? { replyToId: status.in_reply_to_id } : {},
    createdAt: Number.isNaN(created) || created > now.getTime() ? at : new Date(created).toISOString(),
    receivedAt: at,
    ...(status.url ? { url: status.url } : {}),
    meta: { source: config.id, statusId: status.id, instance, acct: status.account.acct, uri: status.uri },
  };
}

/** Mastodon ids are numbers in text: compared as such, `"110"` is after `"99"`. */
export function newerId(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}
