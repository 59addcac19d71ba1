/** Settings the YouTube connector and the youtube-comments source read. */
/** A Data API key (Google Cloud console → Credentials): reading comment threads needs only this. */
export const YOUTUBE_API_KEY = 'FOGHORN_YOUTUBE_API_KEY';
/** An OAuth client and a refresh token of the brand's channel (scope youtube.force-ssl): replying needs them. */
export const YOUTUBE_CLIENT_ID = 'FOGHORN_YOUTUBE_CLIENT_ID';
export const YOUTUBE_CLIENT_SECRET = 'FOGHORN_YOUTUBE_CLIENT_SECRET';
export const YOUTUBE_REFRESH_TOKEN = 'FOGHORN_YOUTUBE_REFRESH_TOKEN';
/** The short-lived access token authorize() obtains; named so a sandboxed request shows where it goes. */
export const YOUTUBE_ACCESS_TOKEN = 'FOGHORN_YOUTUBE_ACCESS_TOKEN';
/** The Data API's base (tests point it at a loopback server) and Google's token endpoint. */
export const YOUTUBE_BASE_URL = 'FOGHORN_YOUTUBE_BASE_URL';
export const YOUTUBE_DEFAULT_BASE_URL = 'https://www.googleapis.com';
export const YOUTUBE_TOKEN_URL = 'FOGHORN_YOUTUBE_TOKEN_URL';
export const YOUTUBE_DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const YOUTUBE = 'youtube';
