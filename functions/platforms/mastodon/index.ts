import type { Connector } from '../../core/connector.js';
import { buildMastodonRequest, interpretMastodonResponse } from './client.js';
import { MASTODON, MASTODON_ACCESS_TOKEN } from './settings.js';
import { refuseMastodonWebhook } from './verify.js';

/** Mastodon's out half: a reply to a status a mastodon listening source found (functions/listening/mastodon/). */
export const mastodonConnector: Connector = {
  platform: MASTODON,
  inboundSettings: [],
  outboundSettings: [MASTODON_ACCESS_TOKEN],
  actionTypes: ['reply'],
  handshake: () => refuseMastodonWebhook(),
  verify: () => refuseMastodonWebhook(),
  normalise: () => refuseMastodonWebhook(),
  buildRequest: (command, { settings }) => buildMastodonRequest(command, settings),
  interpretResponse: (response, _command, { now }) => interpretMastodonResponse(response, now),
  // The instance keeps one status per Idempotency-Key for an hour: a retried command posts once.
  deduplication: { key: 'Idempotency-Key header' },
};
