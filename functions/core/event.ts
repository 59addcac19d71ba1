import { z } from 'zod';

/**
 * What kind of thing happened on the platform. Rules match on it with `kind`. `system` is a notice from the
 * platform, never someone's message (a WhatsApp customer's new number, X's authorisation revoked): `meta.notice`
 * says which, so rules can escalate on it and no auto-reply answers it. `ticket.solved` is a helpdesk ticket
 * Foghorn opened being solved, addressed like the message that opened it (escalation/ticket-solved.ts).
 */
export const EVENT_KINDS = [
  'message',
  'mention',
  'comment',
  'reply',
  'review',
  'dm',
  'post',
  'reaction',
  'sla.breached',
  'ticket.solved',
  'system',
  'other',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

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
  channel: z.object({ id: z.string().min(1), name: z.string().optional() }),
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
});

export type Author = z.infer<typeof authorSchema>;
export type CanonicalEvent = z.infer<typeof canonicalEventSchema>;

/** The id every connector gives its events, so a redelivery of the same item maps to the same id. */
export function eventId(platform: string, nativeId: string | number): string {
  return `${platform}:${String(nativeId)}`;
}

/** How a canonical event travels on the bus (EventBridge on AWS, the local bus on one machine). */
export const EVENT_SOURCE = 'foghorn.ingest';
export const EVENT_DETAIL_TYPE = 'social.event';

/**
 * On the bus, the mark of an event published again because its store already held it (a platform's
 * redelivery, or a retry after a failed publish). Its evaluation reads the decision first whatever the
 * queue's receive count says, so a duplicate never spends a rule's limits twice. The stored event never has it.
 */
const REPUBLISHED = 'republished';

/** The event as published again (see REPUBLISHED). */
export function markRepublished(event: CanonicalEvent): CanonicalEvent {
  return Object.assign({ ...event }, { [REPUBLISHED]: true });
}

/** True for a bus detail published again (see REPUBLISHED). */
export function isRepublished(detail: unknown): boolean {
  return typeof detail === 'object' && detail !== null && (detail as Record<string, unknown>)[REPUBLISHED] === true;
}
