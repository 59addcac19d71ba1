/** WhatsApp Cloud API webhooks are signed and subscribed the Meta way. */

export { answerMetaHandshake as answerWhatsAppHandshake } from '../meta/handshake.js';
export { verifyMetaSignature as verifyWhatsAppSignature } from '../meta/signature.js';
