import type { Connector, Poller } from '../core/connector.js';
import { blueskyConnector } from './bluesky/index.js';
import { discordConnector } from './discord/index.js';
import { facebookConnector } from './facebook/index.js';
import { genericConnector } from './generic/index.js';
import { instagramConnector } from './instagram/index.js';
import { linkedInConnector, linkedInPoller } from './linkedin/index.js';
import { mastodonConnector } from './mastodon/index.js';
import { redditConnector, redditPoller } from './reddit/index.js';
import { slackConnector } from './slack/index.js';
import { telegramConnector } from './telegram/index.js';
import { vkConnector } from './vk/index.js';
import { whatsappConnector } from './whatsapp/index.js';
import { xConnector } from './x/index.js';
import { youtubeConnector } from './youtube/index.js';

/**
 * Every platform Foghorn connects to, by the name used in `/webhooks/{platform}`.
 * Adding a platform: one folder with verify.ts, normalise.ts, client.ts, index.ts, and one line here.
 */
export const connectors: Readonly<Record<string, Connector>> = {
  facebook: facebookConnector,
  generic: genericConnector,
  instagram: instagramConnector,
  slack: slackConnector,
  discord: discordConnector,
  vk: vkConnector,
  reddit: redditConnector,
  telegram: telegramConnector,
  whatsapp: whatsappConnector,
  x: xConnector,
  bluesky: blueskyConnector,
  mastodon: mastodonConnector,
  youtube: youtubeConnector,
  linkedin: linkedInConnector,
};

export function connectorFor(platform: string): Connector | undefined {
  return Object.hasOwn(connectors, platform) ? connectors[platform] : undefined;
}

/** Every setting any connector reads (for redaction and for the docs' configuration table). */
export function connectorSettingNames(): string[] {
  return [...new Set(Object.values(connectors).flatMap((connector) => [...connector.inboundSettings, ...connector.outboundSettings]))];
}

/** Platforms without push, polled on a schedule (topology.schedules.poll). */
export const pollers: readonly Poller[] = [redditPoller, linkedInPoller];
