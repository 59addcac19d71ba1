import type { Connector } from '../../core/connector.js';
import { buildXRequest, interpretXResponse, X_ACTIONS, X_BEARER_TOKEN } from './client.js';
import { normaliseX, X } from './normalise.js';
import { reconcileX } from './reconcile.js';
import { answerXCrc, verifyXSignature, X_CONSUMER_SECRET } from './verify.js';

/** X (Account Activity API): mentions, replies, quotes and DMs in; replies, DM answers and posts out. */
export const xConnector: Connector = {
  platform: X,
  inboundSettings: [X_CONSUMER_SECRET],
  outboundSettings: [X_BEARER_TOKEN],
  actionTypes: X_ACTIONS,
  handshake: answerXCrc,
  verify: verifyXSignature,
  normalise: normaliseX,
  buildRequest: buildXRequest,
  interpretResponse: interpretXResponse,
  // No deduplication key on POST /2/tweets; the account's recent posts show whether a reply or post went out.
  reconcile: reconcileX,
};
