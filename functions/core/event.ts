import { z } from 'zod';
import { EVENT_KINDS } from './canonical-event.js';

// The schema, for the connectors, ingest and the CLI; canonical-event.ts checks the same shape without zod.
export {
  EVENT_DETAIL_TYPE,
  EVENT_KINDS,
  EVENT_SOURCE,
  type EventKind,
  eventId,
  isRepublished,
  markRepublished,
} from './canonical-event.js';

export const authorSchema = z.object({
  id: z.string().min(1),
  handle: z.string().optional(),
  name: z.string().optional(),
  followers: z.number().int().nonnegative().optional(),
  verified: z.boolean().optional(),
  /** Written by one of the connected accounts: no rule ever answers it. */
  isSelf: z.boolean().optional(),
});

export const canonicalEventSchema = z.object({
  /** Platform-scoped and stable across a platform's redeliveries: `<platform>:<native id>`. */
  id: z.string().min(1).max(512),
  platform: z.string().min(1).max(64),
  kind: z.enum(EVENT_KINDS),
  text: z.string().max(100_000).default(''),
  lang: z.string().min(2).max(16).optional(),
  author: authorSchema,
  channel: z.object({
    id: z.string().min(1),
    name: z.string().optional(),
    /** A one-to-one conversation whose id names it, not a place (a Slack IM, a Telegram private chat): analytics count these together. */
    direct: z.boolean().optional(),
  }),
  thread: z.object({ id: z.string().optional(), replyToId: z.string().optional() }).default({}),
  createdAt: z.iso.datetime({ offset: true }),
  receivedAt: z.iso.datetime({ offset: true }),
  /** Where the platform's original payload is kept (stored with the delivery's first event: EventStore.putIfAbsent). */
  raw: z.object({ ref: z.string() }).optional(),
  /** A link to the item on the platform, for humans reading an escalation. */
  url: z.string().optional(),
  /** Set when the item is something Foghorn itself sent (recognised by a marker or by its id). */
  sentByFoghorn: z.boolean().optional(),
  /** Labels added by `tag` actions. */
  tags: z.array(z.string()).optional(),
  /** Platform-specific fields a rule may want (reply target ids, chat type, …). */
  meta: z.record(z.string(), z.unknown()).optional(),
  /** On a copy that travels (bus, commands, timers) of a large event: its text is cut, the whole event (`bytes` as JSON) is stored under its id (event-excerpt.ts). */
  trimmed: z.object({ bytes: z.number().int().nonnegative() }).optional(),
});

export type Author = z.infer<typeof authorSchema>;
export type CanonicalEvent = z.infer<typeof canonicalEventSchema>;
