import type { Connector } from '../../core/connector.js';
import { TransientActionError } from '../../core/errors.js';
import type { Settings } from '../../core/settings.js';
import { buildYoutubeRequest, interpretYoutubeResponse, readYoutubeToken, youtubeTokenRequest } from './client.js';
import { YOUTUBE, YOUTUBE_ACCESS_TOKEN, YOUTUBE_CLIENT_ID, YOUTUBE_CLIENT_SECRET, YOUTUBE_REFRESH_TOKEN } from './settings.js';
import { refuseYoutubeWebhook } from './verify.js';

/** Renew this long before Google says the token expires. */
const EXPIRY_MARGIN_MS = 60_000;
let cached: { key: string; value: string; expiresAt: number } | undefined;

/** YouTube's out half: a reply under a comment thread a youtube-comments source found (functions/listening/youtube-comments/). */
export const youtubeConnector: Connector = {
  platform: YOUTUBE,
  inboundSettings: [],
  outboundSettings: [YOUTUBE_CLIENT_ID, YOUTUBE_CLIENT_SECRET, YOUTUBE_REFRESH_TOKEN],
  actionTypes: ['reply'],
  handshake: () => refuseYoutubeWebhook(),
  verify: () => refuseYoutubeWebhook(),
  normalise: () => refuseYoutubeWebhook(),
  async authorize({ settings, now, send }) {
    const key = `${settings.get(YOUTUBE_CLIENT_ID) ?? ''} ${settings.get(YOUTUBE_REFRESH_TOKEN)?.slice(-8) ?? ''}`;
    if (!cached || cached.key !== key || cached.expiresAt - EXPIRY_MARGIN_MS <= now.getTime())
      cached = { key, ...readYoutubeToken(await send(youtubeTokenRequest(settings)), now) };
    return withAccessToken(settings, cached.value);
  },
  buildRequest: (command, { settings }) => buildYoutubeRequest(command, settings),
  interpretResponse: (response, _command, { now }) => {
    try {
      return interpretYoutubeResponse(response, now);
    } catch (error) {
      // A refused access token is dropped so the retry fetches a fresh one.
      if (error instanceof TransientActionError && error.retryAfterMs === 0) cached = undefined;
      throw error;
    }
  },
};

function withAccessToken(settings: Settings, accessToken: string): Settings {
  return { get: (name) => (name === YOUTUBE_ACCESS_TOKEN ? accessToken : settings.get(name)) };
}
