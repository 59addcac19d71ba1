/** Instagram webhooks are signed and subscribed the Meta way. */

export { answerMetaHandshake as answerInstagramHandshake } from '../meta/handshake.js';
export { verifyMetaSignature as verifyInstagramSignature } from '../meta/signature.js';
