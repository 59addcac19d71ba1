import { FoghornError } from '../../core/errors.js';
import { BLUESKY } from './settings.js';

/** Bluesky pushes nothing to Foghorn: a POST to /webhooks/bluesky is a mistake, answered plainly. */
export class NoBlueskyWebhooksError extends FoghornError {
  constructor() {
    super(
      `platform '${BLUESKY}' has no webhooks: Foghorn reads it through a bluesky-search listening source (see docs/platforms/bluesky-search.md)`,
      {
        status: 404,
      },
    );
  }
}

export function refuseBlueskyWebhook(): never {
  throw new NoBlueskyWebhooksError();
}
