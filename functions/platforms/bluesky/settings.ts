/** Settings the Bluesky connector and the bluesky-search source read. */
/** The account's handle (`acme.bsky.social`) or DID: who signs in, and whose posts are `author.isSelf`. */
export const BLUESKY_HANDLE = 'FOGHORN_BLUESKY_HANDLE';
/** An app password (Settings → Privacy and security → App passwords), never the account's own password. */
export const BLUESKY_APP_PASSWORD = 'FOGHORN_BLUESKY_APP_PASSWORD';
/** The service the session is made on and requests go to (the account's PDS, or the bsky.social entryway); tests point it at a loopback server. */
export const BLUESKY_BASE_URL = 'FOGHORN_BLUESKY_BASE_URL';
export const BLUESKY_DEFAULT_BASE_URL = 'https://bsky.social';
/**
 * The session's access token and the account's DID. Foghorn obtains them with createSession (authorize()); the
 * names exist so a sandboxed request shows where they go.
 */
export const BLUESKY_ACCESS_JWT = 'FOGHORN_BLUESKY_ACCESS_JWT';
export const BLUESKY_DID = 'FOGHORN_BLUESKY_DID';

export const BLUESKY = 'bluesky';
