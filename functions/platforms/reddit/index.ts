import type { Connector } from '../../core/connector.js';
import type { Settings } from '../../core/settings.js';
import { buildRedditRequest, interpretRedditResponse } from './client.js';
import { sharedTokenCache } from './oauth.js';
import { REDDIT, REDDIT_ACCESS_TOKEN, REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET, REDDIT_REFRESH_TOKEN } from './settings.js';
import { refuseRedditWebhook } from './verify.js';

export { createRedditPoller, redditPoller } from './poller.js';

/**
 * Reddit's out half: replies through `/api/comment`. The in half is the poller (poller.ts): Reddit has no
 * push, so webhooks are refused.
 */
export const redditConnector: Connector = {
  platform: REDDIT,
  inboundSettings: [],
  outboundSettings: [REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET, REDDIT_REFRESH_TOKEN],
  actionTypes: ['reply'],
  handshake: () => refuseRedditWebhook(),
  verify: () => refuseRedditWebhook(),
  normalise: () => refuseRedditWebhook(),
  async authorize({ settings, now, send }) {
    const accessToken = await sharedTokenCache.get(settings, now, send);
    return withAccessToken(settings, accessToken);
  },
  buildRequest: (command, { settings }) => buildRedditRequest(command, settings),
  interpretResponse: (response) => {
    try {
      return interpretRedditResponse(response);
    } catch (error) {
      // A refused access token is dropped so the retry trades the refresh token for a fresh one.
      if (response.status === 401) sharedTokenCache.clear();
      throw error;
    }
  },
};

function withAccessToken(settings: Settings, accessToken: string): Settings {
  return { get: (name) => (name === REDDIT_ACCESS_TOKEN ? accessToken : settings.get(name)) };
}
