import { credential } from '../../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { RECONCILE_MAX_PAGES } from '../shared/unique-match.js';
import { graphUrl } from './settings.js';

interface GraphList<T> {
  data?: T[];
  paging?: { cursors?: { after?: string }; next?: string };
  error?: { message?: string; code?: number; type?: string };
}

/**
 * Reads a Graph API list edge (`/{id}/comments`, `/{id}/replies`, `/{page-id}/posts`) page by page, following
 * `paging.cursors.after` while `paging.next` says there is more, until `done` says the rest is older than wanted.
 * Throws when the edge cannot be read or is longer than a reconciliation reads, so nothing is concluded from part of it.
 */
export async function readGraphList<T>(
  options: {
    settings: Settings;
    send: (request: OutboundRequest) => Promise<OutboundResponse>;
    tokenSetting: string;
    path: string;
    query: Record<string, string>;
    /** True once the items are older than anything the command could have made (newest-first edges). */
    done?: (item: T) => boolean;
  },
  visit: (item: T) => void,
): Promise<void> {
  let after: string | undefined;
  for (let page = 0; page < RECONCILE_MAX_PAGES; page++) {
    const params = new URLSearchParams({ ...options.query, ...(after ? { after } : {}) });
    const response = await options.send({
      method: 'GET',
      url: `${graphUrl(options.settings, options.path)}?${params}`,
      headers: { authorization: `Bearer ${credential(options.settings, options.tokenSetting)}` },
    });
    const answer = parse<T>(response.body);
    if (response.status !== 200 || !answer || answer.error || !Array.isArray(answer.data)) {
      const error = answer?.error;
      const reason = error
        ? `error ${error.code ?? '?'} (${error.type ?? 'unknown type'}): ${error.message ?? ''}`
        : response.body.slice(0, 200);
      throw new Error(`Graph API GET /${options.path} answered ${response.status}: ${reason}`);
    }
    for (const item of answer.data) {
      if (options.done?.(item)) return;
      visit(item);
    }
    after = answer.paging?.cursors?.after;
    if (!answer.paging?.next || !after) return;
  }
  throw new Error(`Graph API GET /${options.path}: more than ${RECONCILE_MAX_PAGES} pages; too many to be sure`);
}

function parse<T>(body: string): GraphList<T> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as GraphList<T>) : undefined;
  } catch {
    return undefined;
  }
}
