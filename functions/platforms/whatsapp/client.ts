import type { ActionCommand } from '../../core/action-command.js';
import type { ConnectorContext, Delivered } from '../../core/connector.js';
import { PermanentActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { interpretGraphResponse } from '../meta/graph-response.js';
import { graphPost } from '../meta/request.js';
import { commandText, metaString, pathId, unsupportedAction } from '../shared/command-params.js';
import { WHATSAPP } from './normalise.js';

export const WHATSAPP_TOKEN = 'FOGHORN_WHATSAPP_TOKEN';
/** The business phone number Foghorn answers from when an event does not name one. */
export const WHATSAPP_PHONE_NUMBER_ID = 'FOGHORN_WHATSAPP_PHONE_NUMBER_ID';

/** A business may message first only with an approved template, so only replies are offered. */
export const WHATSAPP_ACTIONS = ['reply'] as const;

/** reply: `POST /{phone-number-id}/messages`, a text quoting the message answered (`context.message_id`). */
export function buildWhatsAppRequest(command: ActionCommand, context: ConnectorContext): OutboundRequest {
  if (command.type !== 'reply') throw unsupportedAction(command, WHATSAPP, WHATSAPP_ACTIONS);
  const text = commandText(command);
  const to = metaString(command, 'recipientId') ?? command.event.author.id;
  const messageId = metaString(command, 'messageId');
  const phoneNumberId = metaString(command, 'phoneNumberId') ?? context.settings.get(WHATSAPP_PHONE_NUMBER_ID);
  if (!phoneNumberId) {
    throw new PermanentActionError(
      `reply ${command.id}: no business phone number (event meta.phoneNumberId or ${WHATSAPP_PHONE_NUMBER_ID})`,
    );
  }
  const isGroup = metaString(command, 'groupId') !== undefined;
  return graphPost(context.settings, `${pathId(phoneNumberId)}/messages`, WHATSAPP_TOKEN, {
    messaging_product: 'whatsapp',
    recipient_type: isGroup ? 'group' : 'individual',
    to: isGroup ? metaString(command, 'groupId') : to,
    ...(messageId ? { context: { message_id: messageId } } : {}),
    type: 'text',
    text: { preview_url: false, body: text },
  });
}

export function interpretWhatsAppResponse(response: OutboundResponse, _command: ActionCommand, context: ConnectorContext): Delivered {
  return interpretGraphResponse(response, context.now);
}
