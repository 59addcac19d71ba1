import type { Connector } from '../../core/connector.js';
import { META_APP_SECRET, META_PAGE_TOKEN, META_VERIFY_TOKEN } from '../meta/settings.js';
import { buildInstagramRequest, INSTAGRAM_ACTIONS, interpretInstagramResponse } from './client.js';
import { INSTAGRAM, normaliseInstagram } from './normalise.js';
import { reconcileInstagram } from './reconcile.js';
import { answerInstagramHandshake, verifyInstagramSignature } from './verify.js';

/** Instagram professional account: comments, @mentions and Direct messages; comment replies and DM answers. */
export const instagramConnector: Connector = {
  platform: INSTAGRAM,
  inboundSettings: [META_APP_SECRET, META_VERIFY_TOKEN],
  outboundSettings: [META_PAGE_TOKEN],
  actionTypes: INSTAGRAM_ACTIONS,
  handshake: answerInstagramHandshake,
  verify: verifyInstagramSignature,
  normalise: normaliseInstagram,
  buildRequest: buildInstagramRequest,
  interpretResponse: interpretInstagramResponse,
  // No deduplication key on the Graph API; the replies under the comment show whether the answer went out.
  reconcile: reconcileInstagram,
};
