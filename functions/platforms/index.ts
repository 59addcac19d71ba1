import type { Connector } from './connector.js';
import { genericConnector } from './generic/index.js';
import { slackConnector } from './slack/index.js';

/**
 * Every platform Foghorn connects to, by the name used in `/webhooks/{platform}`.
 * Adding a platform: one folder with verify.ts, normalise.ts, client.ts, index.ts, and one line here.
 */
export const connectors: Readonly<Record<string, Connector>> = {
  generic: genericConnector,
  slack: slackConnector,
};

export function connectorFor(platform: string): Connector | undefined {
  return Object.hasOwn(connectors, platform) ? connectors[platform] : undefined;
}
