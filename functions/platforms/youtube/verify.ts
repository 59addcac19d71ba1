import { FoghornError } from '../../core/errors.js';
import { YOUTUBE } from './settings.js';

/** YouTube pushes no comments to apps: a POST to /webhooks/youtube is a mistake, answered plainly. */
export class NoYoutubeWebhooksError extends FoghornError {
  constructor() {
    super(
      `platform '${YOUTUBE}' has no webhooks for comments: Foghorn reads them through a youtube-comments listening source (see docs/platforms/youtube-comments.md)`,
      {
        status: 404,
      },
    );
  }
}

export function refuseYoutubeWebhook(): never {
  throw new NoYoutubeWebhooksError();
}
