import { FoghornError } from '../../core/errors.js';
import { REDDIT } from './settings.js';

/** Reddit pushes nothing: a POST to /webhooks/reddit is a mistake, answered plainly. */
export class NoWebhooksError extends FoghornError {
  constructor() {
    super(`platform '${REDDIT}' has no webhooks: Foghorn polls its inbox and mentions on a schedule (see docs/platforms/reddit.md)`, {
      status: 404,
    });
  }
}

export function refuseRedditWebhook(): never {
  throw new NoWebhooksError();
}
