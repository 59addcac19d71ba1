import { FoghornError } from '../../core/errors.js';
import { MASTODON } from './settings.js';

/** Foghorn reads Mastodon by polling: a POST to /webhooks/mastodon is a mistake, answered plainly. */
export class NoMastodonWebhooksError extends FoghornError {
  constructor() {
    super(
      `platform '${MASTODON}' has no webhooks in Foghorn: it reads Mastodon through a mastodon listening source (see docs/platforms/mastodon.md)`,
      {
        status: 404,
      },
    );
  }
}

export function refuseMastodonWebhook(): never {
  throw new NoMastodonWebhooksError();
}
