import { describe, expect, it } from 'vitest';
import { HELPDESK_WEBHOOKS } from '../../functions/escalation/helpdesk-webhooks.js';
import { connectors } from '../../functions/platforms/index.js';
import {
  checkedLimits,
  DEFAULT_PLATFORM_THROTTLES,
  InvalidThrottleError,
  WEBHOOK_PLATFORMS,
  webhookThrottles,
} from '../../infra/webhook-throttles.js';

describe('webhookThrottles', () => {
  it('has a route for every connector that takes webhooks and every helpdesk, and none for the platforms without push', () => {
    const pushing = Object.values(connectors)
      .filter((connector) => connector.inboundSettings.length > 0)
      .map((connector) => connector.platform);
    expect([...WEBHOOK_PLATFORMS].sort()).toEqual([...pushing, ...Object.keys(HELPDESK_WEBHOOKS)].sort());
    for (const polled of ['reddit', 'bluesky', 'mastodon', 'youtube']) expect(WEBHOOK_PLATFORMS).not.toContain(polled);
  });

  it('gives each platform its default, with none left without one and none for a platform without a route', () => {
    expect(Object.keys(DEFAULT_PLATFORM_THROTTLES).sort()).toEqual([...WEBHOOK_PLATFORMS].sort());
    expect(webhookThrottles()).toEqual(DEFAULT_PLATFORM_THROTTLES);
    // Together within API Gateway's default account limit per region (10,000 requests/s, burst 5,000).
    const total = Object.values(DEFAULT_PLATFORM_THROTTLES).reduce(
      (sum, { rateLimit, burstLimit }) => ({ rate: sum.rate + rateLimit, burst: sum.burst + burstLimit }),
      { rate: 0, burst: 0 },
    );
    expect(total.rate).toBeLessThan(10_000);
    expect(total.burst).toBeLessThan(5_000);
  });

  it("takes one platform's setting over the common one, and the common one over the defaults", () => {
    const limits = webhookThrottles({ webhooks: { rateLimit: 7, burstLimit: 9 }, platforms: { slack: { rateLimit: 3, burstLimit: 4 } } });
    expect(limits.slack).toEqual({ rateLimit: 3, burstLimit: 4 });
    expect(limits.telegram).toEqual({ rateLimit: 7, burstLimit: 9 });
    expect(webhookThrottles({ platforms: { x: { rateLimit: 500, burstLimit: 1000 } } }).telegram).toEqual(
      DEFAULT_PLATFORM_THROTTLES.telegram,
    );
  });

  it('refuses a platform without a webhook route, and limits API Gateway would refuse, naming where', () => {
    expect(() => webhookThrottles({ platforms: { reddit: { rateLimit: 1, burstLimit: 1 } } })).toThrow(InvalidThrottleError);
    expect(() => webhookThrottles({ platforms: { reddit: { rateLimit: 1, burstLimit: 1 } } })).toThrow(
      /throttle\.platforms\.reddit: no webhook route for 'reddit' \(platforms with webhooks: .*slack/,
    );
    expect(() => webhookThrottles({ platforms: { slack: { rateLimit: 0, burstLimit: 1 } } })).toThrow(
      /throttle\.platforms\.slack\.rateLimit must be a number of requests per second above 0, got 0/,
    );
    expect(() => checkedLimits({ rateLimit: 5, burstLimit: 2.5 }, 'throttle.api')).toThrow(
      /throttle\.api\.burstLimit must be a whole number of requests of at least 1, got 2\.5/,
    );
    expect(() => checkedLimits({ rateLimit: '5' } as never, 'throttle.webhooks')).toThrow(/throttle\.webhooks\.rateLimit/);
  });
});
