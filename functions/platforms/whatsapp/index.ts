import type { Connector } from '../../core/connector.js';
import { META_APP_SECRET, META_VERIFY_TOKEN } from '../meta/settings.js';
import { buildWhatsAppRequest, interpretWhatsAppResponse, WHATSAPP_ACTIONS, WHATSAPP_TOKEN } from './client.js';
import { normaliseWhatsApp, WHATSAPP } from './normalise.js';
import { answerWhatsAppHandshake, verifyWhatsAppSignature } from './verify.js';

/** WhatsApp Cloud API: inbound messages; replies in the conversation quoting the message answered. */
export const whatsappConnector: Connector = {
  platform: WHATSAPP,
  inboundSettings: [META_APP_SECRET, META_VERIFY_TOKEN],
  outboundSettings: [WHATSAPP_TOKEN],
  actionTypes: WHATSAPP_ACTIONS,
  handshake: answerWhatsAppHandshake,
  verify: verifyWhatsAppSignature,
  normalise: normaliseWhatsApp,
  buildRequest: buildWhatsAppRequest,
  interpretResponse: interpretWhatsAppResponse,
};
