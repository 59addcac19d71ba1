/** Instagram webhooks are signed and subscribed the Meta way. */
export { verifyMetaSignature as verifyInstagramSignature } from '../meta/signature.js';
export { answerMetaHandshake as answerInstagramHandshake } from '../meta/handshake.js';
