import type { Settings } from '../../core/settings.js';

/** Settings shared by the Facebook Page, Instagram and WhatsApp connectors (one Meta app). */
export const META_APP_SECRET = 'FOGHORN_META_APP_SECRET';
export const META_VERIFY_TOKEN = 'FOGHORN_META_VERIFY_TOKEN';
export const META_PAGE_TOKEN = 'FOGHORN_META_PAGE_TOKEN';
/** The connected Facebook Page; also the target of `post` actions. */
export const META_PAGE_ID = 'FOGHORN_META_PAGE_ID';
/** Meta app id: a Messenger echo carrying it was sent through this app, i.e. by Foghorn. */
export const META_APP_ID = 'FOGHORN_META_APP_ID';
export const META_API_URL = 'FOGHORN_META_API_URL';

export const DEFAULT_GRAPH_API_URL = 'https://graph.facebook.com/v21.0';

/** Put in `message.metadata` of Messenger sends; the echo carries it back, so Foghorn knows its own words. */
export const FOGHORN_METADATA_PREFIX = 'foghorn:';

/** A Graph API URL under the configured base (a loopback server in tests, a sandbox, or Meta itself). */
export function graphUrl(settings: Settings, path: string): string {
  const base = (settings.get(META_API_URL) ?? DEFAULT_GRAPH_API_URL).replace(/\/+$/, '');
  return `${base}/${path.replace(/^\/+/, '')}`;
}
