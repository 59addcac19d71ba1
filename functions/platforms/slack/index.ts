import type { Connector } from '../../core/connector.js';
import { buildSlackRequest, interpretSlackResponse } from './client.js';
import { normaliseSlack, parseSlackBody } from './normalise.js';
import { reconcileSlack } from './reconcile.js';
import { SLACK, SLACK_BOT_TOKEN, SLACK_BOT_USER_ID, SLACK_SIGNING_SECRET } from './settings.js';
import { verifySlack } from './verify.js';

/** Slack Events API in (app_mention, message), `chat.postMessage` out. */
export const slackConnector: Connector = {
  platform: SLACK,
  inboundSettings: [SLACK_SIGNING_SECRET],
  outboundSettings: [SLACK_BOT_TOKEN],
  actionTypes: ['reply', 'post'],
  handshake(request, { settings, now }) {
    if (request.method !== 'POST' || !looksLikeUrlVerification(request.rawBody)) return undefined;
    // Slack signs the url_verification request too: answer only a genuine one.
    verifySlack(request, settings.get(SLACK_SIGNING_SECRET) ?? '', now);
    const { challenge } = parseSlackBody(request);
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: typeof challenge === 'string' ? challenge : '' };
  },
  verify: (request, { settings, now }) => verifySlack(request, settings.get(SLACK_SIGNING_SECRET) ?? '', now),
  normalise: (request, { settings }) => normaliseSlack(request, settings.get(SLACK_BOT_USER_ID)),
  buildRequest: (command, { settings }) => buildSlackRequest(command, settings),
  interpretResponse: (response) => interpretSlackResponse(response),
  // No deduplication key on chat.postMessage; Foghorn's metadata (the command id) finds a message that went out.
  reconcile: reconcileSlack,
};

function looksLikeUrlVerification(rawBody: Buffer): boolean {
  try {
    return (JSON.parse(rawBody.toString('utf8')) as { type?: unknown }).type === 'url_verification';
  } catch {
    return false;
  }
}
