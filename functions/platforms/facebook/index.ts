import type { Connector } from '../../core/connector.js';
import { META_APP_SECRET, META_PAGE_TOKEN, META_VERIFY_TOKEN } from '../meta/settings.js';
import { buildFacebookRequest, FACEBOOK_ACTIONS, interpretFacebookResponse } from './client.js';
import { FACEBOOK, normaliseFacebook } from './normalise.js';
import { reconcileFacebook } from './reconcile.js';
import { answerFacebookHandshake, verifyFacebookSignature } from './verify.js';

/** Facebook Page: feed comments and posts, Messenger messages; replies, Messenger answers and Page posts. */
export const facebookConnector: Connector = {
  platform: FACEBOOK,
  inboundSettings: [META_APP_SECRET, META_VERIFY_TOKEN],
  outboundSettings: [META_PAGE_TOKEN],
  actionTypes: FACEBOOK_ACTIONS,
  handshake: answerFacebookHandshake,
  verify: verifyFacebookSignature,
  normalise: normaliseFacebook,
  buildRequest: buildFacebookRequest,
  interpretResponse: interpretFacebookResponse,
  // No deduplication key on the Graph API; the replies under the comment (or the Page's posts) show what went out.
  reconcile: reconcileFacebook,
};
