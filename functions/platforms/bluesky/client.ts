import type { ActionCommand } from '../../core/action-command.js';
import { credential, type Delivered } from '../../core/connector.js';
import { PermanentActionError, TransientActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import type { Settings } from '../../core/settings.js';
import { resetWaitMs } from '../shared/rate-limit-reset.js';
import { blueskyBaseUrl } from './session.js';
import { BLUESKY_ACCESS_JWT, BLUESKY_DID, BLUESKY_HANDLE } from './settings.js';

/** A strong reference to a record: what a reply's `root` and `parent` hold. */
export interface StrongRef {
  uri: string;
  cid: string;
}

function strongRef(value: unknown): StrongRef | undefined {
  const ref = value as { uri?: unknown; cid?: unknown } | undefined;
  return ref && typeof ref.uri === 'string' && typeof ref.cid === 'string' ? { uri: ref.uri, cid: ref.cid } : undefined;
}

/**
 * A reply in the post's thread: `com.atproto.repo.createRecord` of an `app.bsky.feed.post` whose `reply` holds the
 * thread's root and the post answered as parent (https://docs.bsky.app/docs/advanced-guides/posts#replies). The
 * record's createdAt is the command's, so a retried command builds the same request.
 */
export function buildBlueskyRequest(command: ActionCommand, settings: Settings): OutboundRequest {
  const { text } = command.params;
  if (typeof text !== 'string' || text === '') throw new PermanentActionError(`bluesky ${command.type} needs params.text (non-empty)`);
  const meta = command.event.meta ?? {};
  const parent = strongRef({ uri: meta.uri, cid: meta.cid });
  if (!parent)
    throw new PermanentActionError(`bluesky reply needs the post's uri and cid (meta.uri, meta.cid); event ${command.event.id} has none`);
  const root = strongRef(meta.root) ?? parent;
  const base = blueskyBaseUrl(settings);
  return {
    method: 'POST',
    url: `${base}/xrpc/com.atproto.repo.createRecord`,
    headers: { authorization: `Bearer ${credential(settings, BLUESKY_ACCESS_JWT)}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      repo: settings.get(BLUESKY_DID) ?? credential(settings, BLUESKY_HANDLE),
      collection: 'app.bsky.feed.post',
      record: { $type: 'app.bsky.feed.post', text, createdAt: command.createdAt, reply: { root, parent } },
    }),
  };
}

/** createRecord's answer: `{ uri, cid }` on success; a 429 waits for `ratelimit-reset`; an expired token is fetched again. */
export function interpretBlueskyResponse(response: OutboundResponse, now: Date): Delivered {
  if (response.status === 429 || response.status >= 500)
    throw new TransientActionError(`bluesky answered HTTP ${response.status}`, resetWaitMs(response, now));
  let body: { uri?: unknown; error?: unknown; message?: unknown } = {};
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    if (response.status === 200)
      throw new PermanentActionError('bluesky answered 200 with a body that is not JSON', response.body.slice(0, 300));
  }
  if (response.status === 401 || body.error === 'ExpiredToken' || body.error === 'InvalidToken')
    throw new TransientActionError(
      `bluesky refused the access token (${String(body.error ?? response.status)}); the next attempt signs in again`,
      0,
    );
  if (response.status !== 200) {
    const reason =
      typeof body.error === 'string'
        ? `${body.error}${typeof body.message === 'string' ? `: ${body.message}` : ''}`
        : response.body.slice(0, 300);
    throw new PermanentActionError(`bluesky answered HTTP ${response.status}: ${reason}`, { status: response.status });
  }
  return typeof body.uri === 'string' ? { externalId: body.uri } : {};
}
