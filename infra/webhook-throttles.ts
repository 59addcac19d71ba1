import { HELPDESK_WEBHOOKS } from '../functions/escalation/helpdesk-webhooks.js';
import { connectors } from '../functions/platforms/index.js';

/** Requests per second (steady) and burst, as API Gateway counts them. */
export interface ThrottleLimits {
  rateLimit: number;
  burstLimit: number;
}

/**
 * The platforms that push webhooks, each with a route of its own (`POST` and `GET /webhooks/<platform>`): every
 * connector with inbound settings (a platform without them has no push and refuses webhooks: Reddit, Bluesky,
 * Mastodon, YouTube) and every helpdesk whose webhooks report a solved ticket. A path for anything else is
 * answered 404 by API Gateway itself, so junk never starts a Lambda.
 */
export const WEBHOOK_PLATFORMS: readonly string[] = [
  ...Object.values(connectors)
    .filter((connector) => connector.inboundSettings.length > 0)
    .map((connector) => connector.platform),
  ...Object.keys(HELPDESK_WEBHOOKS),
];

/**
 * Each platform route's default throttle, sized to what the platform can send, so one platform's flood (or a
 * flood of unsigned junk at its path) is refused with 429 at the edge and leaves the others' routes alone. Every
 * platform here retries a delivery refused with 429. Together they stay well under API Gateway's account limit
 * (10,000 requests/s, burst 5,000, per region), and ingest's reserved concurrency is sized to their sum.
 */
export const DEFAULT_PLATFORM_THROTTLES: Readonly<Record<string, ThrottleLimits>> = {
  // The public conversation platforms a storm lands on first.
  x: { rateLimit: 100, burstLimit: 200 },
  facebook: { rateLimit: 100, burstLimit: 200 },
  instagram: { rateLimit: 100, burstLimit: 200 },
  // Customer messaging at a brand's scale; Meta batches several messages into one delivery.
  whatsapp: { rateLimit: 100, burstLimit: 200 },
  // Whatever a team wires to it; the limit the whole stage had before routes had their own.
  generic: { rateLimit: 100, burstLimit: 200 },
  // Telegram opens at most 40 connections to a webhook by default (setWebhook max_connections, at most 100).
  telegram: { rateLimit: 50, burstLimit: 100 },
  // Slack delivers at most 30,000 events an hour per workspace (about 8/s); a few workspaces fit.
  slack: { rateLimit: 25, burstLimit: 50 },
  // Interactions a person starts (slash commands, buttons), answered within Discord's 3 seconds.
  discord: { rateLimit: 25, burstLimit: 50 },
  // Community wall and message events, one group per callback server.
  vk: { rateLimit: 25, burstLimit: 50 },
  // Organization page notifications, far fewer than the public platforms'.
  linkedin: { rateLimit: 25, burstLimit: 50 },
  // A helpdesk reports ticket changes only: a few a minute.
  zendesk: { rateLimit: 10, burstLimit: 20 },
  jira: { rateLimit: 10, burstLimit: 20 },
};

/** Where a platform's webhook throttle can be set: the stack prop `throttle` or `-c throttle='{…}'`. */
export interface WebhookThrottleOptions {
  /** One limit for every platform route, over the per-platform defaults. */
  webhooks?: ThrottleLimits;
  /** A limit for one platform's routes, over `webhooks` and the defaults. */
  platforms?: Readonly<Record<string, ThrottleLimits>>;
}

export class InvalidThrottleError extends Error {
  override name = 'InvalidThrottleError';
}

/** Each webhook platform's throttle: its own setting, else the common one, else its default. */
export function webhookThrottles(options: WebhookThrottleOptions = {}): Record<string, ThrottleLimits> {
  for (const name of Object.keys(options.platforms ?? {})) {
    if (!WEBHOOK_PLATFORMS.includes(name))
      throw new InvalidThrottleError(
        `throttle.platforms.${name}: no webhook route for '${name}' (platforms with webhooks: ${WEBHOOK_PLATFORMS.join(', ')})`,
      );
  }
  return Object.fromEntries(
    WEBHOOK_PLATFORMS.map((platform) => {
      const limits = options.platforms?.[platform] ?? options.webhooks ?? DEFAULT_PLATFORM_THROTTLES[platform];
      if (!limits) throw new InvalidThrottleError(`DEFAULT_PLATFORM_THROTTLES (infra/webhook-throttles.ts) has no limit for '${platform}'`);
      return [platform, checkedLimits(limits, `throttle.platforms.${platform}`)];
    }),
  );
}

/** A limit API Gateway accepts: a rate above zero and a whole burst of at least 1. */
export function checkedLimits(limits: ThrottleLimits, where: string): ThrottleLimits {
  const { rateLimit, burstLimit } = limits as Partial<ThrottleLimits>;
  if (typeof rateLimit !== 'number' || !(rateLimit > 0))
    throw new InvalidThrottleError(`${where}.rateLimit must be a number of requests per second above 0, got ${String(rateLimit)}`);
  if (typeof burstLimit !== 'number' || !Number.isInteger(burstLimit) || burstLimit < 1)
    throw new InvalidThrottleError(`${where}.burstLimit must be a whole number of requests of at least 1, got ${String(burstLimit)}`);
  return { rateLimit, burstLimit };
}
