import { describe, expect, it } from 'vitest';
import { outcomeCapabilities } from '../../functions/core/outbound/outbound-policy.js';
import { connectors } from '../../functions/platforms/index.js';
import { limitedPlatforms, platformOutcomes, platformsWithOutcomes, platformTextLimit } from '../../functions/platforms/limits.js';

describe('platformTextLimit: how long a text each platform accepts, and how it counts', () => {
  it.each([
    ['x', 'post', undefined, 280, 'x-weighted'],
    ['x', 'reply', 'mention', 280, 'x-weighted'],
    ['x', 'reply', 'dm', 10_000, 'utf16'],
    ['telegram', 'reply', 'message', 4_096, 'utf16'],
    ['discord', 'reply', 'message', 2_000, 'utf16'],
    ['whatsapp', 'reply', 'dm', 4_096, 'utf16'],
    ['facebook', 'reply', 'dm', 2_000, 'utf16'],
    ['facebook', 'reply', 'comment', 8_000, 'utf16'],
    ['instagram', 'reply', 'dm', 1_000, 'utf8'],
    ['instagram', 'reply', 'comment', 2_200, 'utf16'],
    ['vk', 'reply', 'comment', 4_096, 'utf16'],
    ['reddit', 'reply', 'comment', 10_000, 'utf16'],
    ['slack', 'post', undefined, 40_000, 'utf16'],
  ])('%s %s (%s): %i, counted as %s', (platform, action, kind, max, counts) => {
    expect(platformTextLimit({ platform, action, ...(kind ? { kind } : {}) })).toMatchObject({ platform, max, counts });
  });

  it('threads where the connector can say where the next part goes: X, Telegram, Discord, Slack', () => {
    const threads = limitedPlatforms().filter((platform) => platformTextLimit({ platform, action: 'reply', kind: 'message' })?.threads);
    expect(threads.sort()).toEqual(['discord', 'slack', 'telegram', 'x']);
  });

  it('a reply whose event kind is unknown gets the most lenient of the platform’s limits', () => {
    expect(platformTextLimit({ platform: 'x', action: 'reply' })?.max).toBe(10_000);
    expect(platformTextLimit({ platform: 'instagram', action: 'reply' })?.max).toBe(2_200);
    expect(platformTextLimit({ platform: 'facebook', action: 'reply' })?.max).toBe(8_000);
  });

  it('no limit for the generic platform, a Facebook Page post, or what is not a text', () => {
    expect(platformTextLimit({ platform: 'generic', action: 'reply' })).toBeUndefined();
    expect(platformTextLimit({ platform: 'facebook', action: 'post' })).toBeUndefined();
    expect(platformTextLimit({ platform: 'telegram', action: 'tag' })).toBeUndefined();
  });

  it('every connector but the generic one has a limit', () => {
    const names = Object.keys(connectors).filter((name) => name !== 'generic');
    expect(limitedPlatforms().sort()).toEqual(names.sort());
  });
});

describe('platformOutcomes: what each platform can do about an unknown outcome', () => {
  it('says what its connector says, for every connector and no other platform', () => {
    expect(platformsWithOutcomes().sort()).toEqual(Object.keys(connectors).sort());
    for (const [name, connector] of Object.entries(connectors)) {
      expect({ name, ...platformOutcomes(name) }).toEqual({ name, ...outcomeCapabilities(connector) });
    }
    expect(platformOutcomes('myspace')).toBeUndefined();
    expect(platformOutcomes('toString')).toBeUndefined();
  });
});
