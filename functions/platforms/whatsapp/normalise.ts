import { z } from 'zod';
import type { ConnectorContext, Normalised } from '../../core/connector.js';
import type { CanonicalEvent, EventKind } from '../../core/event.js';
import { eventId } from '../../core/event.js';
import type { InboundRequest } from '../../core/http.js';
import { isoFromUnix, parseMetaDelivery } from '../meta/delivery.js';
import { parseWith } from '../shared/payload.js';

export const WHATSAPP = 'whatsapp';

const captioned = z.looseObject({ caption: z.string().optional() }).optional();

/** `changes[].value` of the `messages` field (WhatsApp Cloud API webhooks reference). */
const messagesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: z.looseObject({ display_phone_number: z.string(), phone_number_id: z.string().min(1) }),
  contacts: z.array(z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string().optional() }).optional() })).optional(),
  messages: z
    .array(
      z.looseObject({
        // A WhatsApp id (the sender's number) and a wamid are never empty.
        from: z.string().min(1),
        id: z.string().min(1),
        timestamp: z.union([z.string(), z.number()]),
        type: z.string(),
        group_id: z.string().optional(),
        text: z.looseObject({ body: z.string() }).optional(),
        image: captioned,
        video: captioned,
        document: captioned,
        button: z.looseObject({ text: z.string().optional(), payload: z.string().optional() }).optional(),
        interactive: z
          .looseObject({
            type: z.string(),
            button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
            list_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
          })
          .optional(),
        reaction: z.looseObject({ message_id: z.string().optional(), emoji: z.string().optional() }).optional(),
        // A notice from WhatsApp, not the customer: `user_changed_number`, `user_changed_user_id`, …
        system: z.looseObject({ body: z.string().optional(), type: z.string().optional(), wa_id: z.string().optional() }).optional(),
        context: z.looseObject({ from: z.string().optional(), id: z.string().optional(), forwarded: z.boolean().optional() }).optional(),
      }),
    )
    .optional(),
});

type WhatsAppMessage = NonNullable<z.infer<typeof messagesValueSchema>['messages']>[number];

/**
 * A WhatsApp Business Account delivery: each inbound message of each `messages` change becomes one event
 * (its wamid is the id). Status updates (sent, delivered, read) become nothing.
 */
export function normaliseWhatsApp(request: InboundRequest, _context: ConnectorContext): Normalised {
  const delivery = parseMetaDelivery(request.rawBody, 'whatsapp_business_account');
  const events: CanonicalEvent[] = [];
  delivery.entry.forEach((entry, entryIndex) => {
    entry.changes?.forEach((change, changeIndex) => {
      if (change.field !== 'messages') return;
      const where = `entry.${entryIndex}.changes.${changeIndex}.value`;
      const value = parseWith(messagesValueSchema, change.value, where);
      const businessNumber = digits(value.metadata.display_phone_number);
      for (const [messageIndex, message] of (value.messages ?? []).entries()) {
        const name = value.contacts?.find((contact) => contact.wa_id === message.from)?.profile?.name;
        const replyToId = message.context?.id ?? message.reaction?.message_id;
        events.push({
          id: eventId(WHATSAPP, message.id),
          platform: WHATSAPP,
          kind: kindOf(message),
          text: textOf(message),
          author: { id: message.from, handle: message.from, ...(name ? { name } : {}), isSelf: digits(message.from) === businessNumber },
          channel: { id: value.metadata.phone_number_id, name: value.metadata.display_phone_number },
          thread: { id: message.group_id ?? message.from, ...(replyToId ? { replyToId } : {}) },
          createdAt: isoFromUnix(message.timestamp, `${where}.messages.${messageIndex}.timestamp`),
          receivedAt: request.receivedAt.toISOString(),
          meta: {
            messageId: message.id,
            phoneNumberId: value.metadata.phone_number_id,
            businessAccountId: entry.id,
            recipientId: message.from,
            messageType: message.type,
            ...(message.group_id ? { groupId: message.group_id } : {}),
            ...(message.context?.forwarded ? { forwarded: true } : {}),
            ...(message.button?.payload ? { buttonPayload: message.button.payload } : {}),
            ...(message.interactive?.button_reply ? { interactiveId: message.interactive.button_reply.id } : {}),
            ...(message.interactive?.list_reply ? { interactiveId: message.interactive.list_reply.id } : {}),
            ...(message.type === 'system' && message.system?.type ? { notice: message.system.type } : {}),
            ...(message.type === 'system' && message.system?.wa_id ? { newWaId: message.system.wa_id } : {}),
          },
        });
      }
    });
  });
  return { events };
}

/** A system notice is no one's message: it gets a kind of its own, so no auto-reply for DMs answers it. */
function kindOf(message: WhatsAppMessage): EventKind {
  if (message.type === 'system') return 'system';
  if (message.type === 'reaction') return 'reaction';
  return message.group_id ? 'message' : 'dm';
}

/** The words a rule can match: the body, a media caption, the chosen button or list title, a reaction's emoji, a notice's text. */
function textOf(message: WhatsAppMessage): string {
  return (
    message.text?.body ??
    message.image?.caption ??
    message.video?.caption ??
    message.document?.caption ??
    message.button?.text ??
    message.interactive?.button_reply?.title ??
    message.interactive?.list_reply?.title ??
    message.reaction?.emoji ??
    message.system?.body ??
    ''
  );
}

function digits(phone: string): string {
  return phone.replace(/\D/g, '');
}
