/** Settings the Reddit connector and poller read. */
/** A "script" or "web app" client's id and secret (https://www.reddit.com/prefs/apps). */
export const REDDIT_CLIENT_ID = 'FOGHORN_REDDIT_CLIENT_ID';
export const REDDIT_CLIENT_SECRET = 'FOGHORN_REDDIT_CLIENT_SECRET';
/** A permanent refresh token for the connected account (scopes: identity privatemessages read submit). */
export const REDDIT_REFRESH_TOKEN = 'FOGHORN_REDDIT_REFRESH_TOKEN';
/** The connected account's username (without u/): its own items are `author.isSelf`; also names the User-Agent. */
export const REDDIT_USERNAME = 'FOGHORN_REDDIT_USERNAME';
/**
 * The short-lived access token. Foghorn obtains it from the refresh token (authorize()); the name exists so
 * a sandboxed request shows where the token goes.
 */
export const REDDIT_ACCESS_TOKEN = 'FOGHORN_REDDIT_ACCESS_TOKEN';
/** OAuth API base; tests point it at a loopback server. */
export const REDDIT_API_URL = 'FOGHORN_REDDIT_API_URL';
export const REDDIT_DEFAULT_API_URL = 'https://oauth.reddit.com';
/** Where tokens are issued (`/api/v1/access_token` is appended). */
export const REDDIT_AUTH_URL = 'FOGHORN_REDDIT_AUTH_URL';
export const REDDIT_DEFAULT_AUTH_URL = 'https://www.reddit.com';

export const REDDIT = 'reddit';

/** Reddit throttles generic user agents; it asks for `<platform>:<app id>:<version> (by /u/<username>)`. */
export function redditUserAgent(username: string | undefined): string {
  return `server:foghorn:0.1.0 (by /u/${username ?? 'unknown'})`;
}
