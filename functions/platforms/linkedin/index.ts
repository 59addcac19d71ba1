import type { Connector } from '../../core/connector.js';
import { buildLinkedInRequest, interpretLinkedInResponse, LINKEDIN_ACTIONS } from './client.js';
import { normaliseLinkedIn } from './normalise.js';
import { reconcileLinkedIn } from './reconcile.js';
import { LINKEDIN, LINKEDIN_ACCESS_TOKEN, LINKEDIN_CLIENT_SECRET } from './settings.js';
import { answerLinkedInChallenge, verifyLinkedInSignature } from './verify.js';

export { LinkedInPollError, linkedInPoller } from './poller.js';

/** LinkedIn organisation Page (Community Management API): comment and mention notifications in, comments out. */
export const linkedInConnector: Connector = {
  platform: LINKEDIN,
  inboundSettings: [LINKEDIN_CLIENT_SECRET],
  outboundSettings: [LINKEDIN_ACCESS_TOKEN],
  actionTypes: LINKEDIN_ACTIONS,
  handshake: answerLinkedInChallenge,
  verify: verifyLinkedInSignature,
  normalise: normaliseLinkedIn,
  buildRequest: buildLinkedInRequest,
  interpretResponse: interpretLinkedInResponse,
  // No idempotency key on LinkedIn; the comments under the same urn show what went out.
  reconcile: reconcileLinkedIn,
};
