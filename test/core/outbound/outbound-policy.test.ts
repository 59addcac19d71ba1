import { describe, expect, it } from 'vitest';
import { defaultOnAmbiguous, OutboundConfigError, parseOutboundSection } from '../../../functions/core/outbound/index.js';
import { connectorFor, connectors } from '../../../functions/platforms/index.js';

describe('the outbound section of the team config', () => {
  it('defaults: retry where the platform deduplicates, reconcile where it can be asked, hold elsewhere', () => {
    const defaults = Object.fromEntries(Object.values(connectors).map((connector) => [connector.platform, defaultOnAmbiguous(connector)]));
    expect(defaults).toEqual({
      facebook: 'reconcile',
      generic: 'retry',
      instagram: 'reconcile',
      slack: 'reconcile',
      discord: 'retry',
      vk: 'retry',
      reddit: 'hold',
      telegram: 'hold',
      whatsapp: 'hold',
      x: 'reconcile',
      bluesky: 'hold',
      mastodon: 'retry',
      youtube: 'hold',
      linkedin: 'reconcile',
    });
    expect(parseOutboundSection(undefined, connectorFor).size).toBe(0);
  });

  it('reads a choice per platform', () => {
    const policies = parseOutboundSection({ slack: { onAmbiguous: 'hold' }, generic: { onAmbiguous: 'hold' }, vk: {} }, connectorFor);
    expect([...policies]).toEqual([
      ['slack', 'hold'],
      ['generic', 'hold'],
    ]);
  });

  it.each([
    [{ telegram: { onAmbiguous: 'retry' } }, "outbound.telegram.onAmbiguous: 'retry' could post twice: telegram does not deduplicate"],
    [{ reddit: { onAmbiguous: 'reconcile' } }, "outbound.reddit.onAmbiguous: 'reconcile' needs a read API"],
    [{ slack: { onAmbiguous: 'twice' } }, 'outbound.slack.onAmbiguous: must be one of retry, reconcile, hold, got "twice"'],
    [{ slack: { onAmbigous: 'hold' } }, 'outbound.slack.onAmbigous: unknown setting (known: onAmbiguous)'],
    [{ myspace: { onAmbiguous: 'hold' } }, "outbound.myspace: unknown platform 'myspace'"],
    [['slack'], 'outbound: must be a mapping'],
  ])('refuses %j, naming the field', (section, message) => {
    const error = (() => {
      try {
        parseOutboundSection(section, connectorFor);
      } catch (caught) {
        return caught;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(OutboundConfigError);
    expect((error as Error).message).toContain(message);
    expect((error as OutboundConfigError).status).toBe(400);
  });
});
