/** Settings the Mastodon connector and the mastodon listening source read. */
/** A user access token of the brand's account (scopes `read:search read:statuses write:statuses`), from the instance's Development settings. */
export const MASTODON_ACCESS_TOKEN = 'FOGHORN_MASTODON_ACCESS_TOKEN';
/** Overrides every source's `instance:` (tests point it at a loopback server). */
export const MASTODON_BASE_URL = 'FOGHORN_MASTODON_BASE_URL';
export const MASTODON = 'mastodon';
