import { credential } from '../../core/connector.js';
import type { OutboundRequest } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { graphUrl } from './settings.js';

/** A JSON POST to the Graph API, the token in the Authorization header (kept out of URLs and logs). */
export function graphPost(settings: Settings, path: string, tokenSetting: string, body: Record<string, unknown>): OutboundRequest {
  return {
    method: 'POST',
    url: graphUrl(settings, path),
    headers: {
      authorization: `Bearer ${credential(settings, tokenSetting)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  };
}
