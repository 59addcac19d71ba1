/** Facebook Page webhooks are signed and subscribed the Meta way. */

export { answerMetaHandshake as answerFacebookHandshake } from '../meta/handshake.js';
export { verifyMetaSignature as verifyFacebookSignature } from '../meta/signature.js';
