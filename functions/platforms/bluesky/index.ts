import type { Connector } from '../../core/connector.js';
import { TransientActionError } from '../../core/errors.js';
import type { Settings } from '../../core/settings.js';
import { buildBlueskyRequest, interpretBlueskyResponse } from './client.js';
import { sharedBlueskySessions } from './session.js';
import { BLUESKY, BLUESKY_ACCESS_JWT, BLUESKY_APP_PASSWORD, BLUESKY_DID, BLUESKY_HANDLE } from './settings.js';
import { refuseBlueskyWebhook } from './verify.js';

/**
 * Bluesky's out half: a reply in the thread of a post a bluesky-search source found. The in half is that source
 * (functions/listening/bluesky-search/): Bluesky has no push to an app, so webhooks are refused.
 */
export const blueskyConnector: Connector = {
  platform: BLUESKY,
  inboundSettings: [],
  outboundSettings: [BLUESKY_HANDLE, BLUESKY_APP_PASSWORD],
  actionTypes: ['reply'],
  handshake: () => refuseBlueskyWebhook(),
  verify: () => refuseBlueskyWebhook(),
  normalise: () => refuseBlueskyWebhook(),
  async authorize({ settings, now, send }) {
    const session = await sharedBlueskySessions.get(settings, now, send);
    return withSession(settings, session.accessJwt, session.did);
  },
  buildRequest: (command, { settings }) => buildBlueskyRequest(command, settings),
  interpretResponse: (response, _command, { now }) => {
    try {
      return interpretBlueskyResponse(response, now);
    } catch (error) {
      // A refused token is dropped so the retry signs in again.
      if (error instanceof TransientActionError && error.retryAfterMs === 0) sharedBlueskySessions.clear();
      throw error;
    }
  },
};

function withSession(settings: Settings, accessJwt: string, did: string): Settings {
  return { get: (name) => (name === BLUESKY_ACCESS_JWT ? accessJwt : name === BLUESKY_DID ? did : settings.get(name)) };
}
