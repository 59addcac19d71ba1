/** WhatsApp Cloud API webhooks are signed and subscribed the Meta way. */
export { verifyMetaSignature as verifyWhatsAppSignature } from '../meta/signature.js';
export { answerMetaHandshake as answerWhatsAppHandshake } from '../meta/handshake.js';
