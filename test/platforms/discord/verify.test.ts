import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FoghornError, SignatureError } from '../../../functions/core/errors.js';
import { discordConnector } from '../../../functions/platforms/discord/index.js';
import { context, discordDelivery, fixture, keys, NOW, signDiscord, TIMESTAMP } from './request.js';

describe('discord verify', () => {
  const body = fixture('slash-command.json');

  it('accepts an Ed25519 signature over timestamp + body by the application key', () => {
    expect(() => discordConnector.verify(discordDelivery(body), context())).not.toThrow();
  });

  it('refuses a signature by another key, a missing signature and a missing timestamp with 401', () => {
    const other = generateKeyPairSync('ed25519');
    const forged = discordDelivery(body, { 'x-signature-ed25519': signDiscord(other.privateKey, TIMESTAMP, body) });
    expect(() => discordConnector.verify(forged, context())).toThrow(/does not match/);
    const missing = discordDelivery(body);
    delete (missing.headers as Record<string, string>)['x-signature-ed25519'];
    expect(() => discordConnector.verify(missing, context())).toThrow(/missing x-signature-ed25519/);
    const noTimestamp = discordDelivery(body);
    delete (noTimestamp.headers as Record<string, string>)['x-signature-timestamp'];
    expect(() => discordConnector.verify(noTimestamp, context())).toThrow(/missing x-signature-timestamp/);
    expect(() => discordConnector.verify(discordDelivery(body, { 'x-signature-ed25519': 'zz' }), context())).toThrow(SignatureError);
  });

  it('refuses a body or timestamp changed after signing', () => {
    const signed = discordDelivery(body);
    expect(() =>
      discordConnector.verify({ ...signed, rawBody: Buffer.from(body.toString().replace('reset', 'delete')) }, context()),
    ).toThrow(SignatureError);
    expect(() =>
      discordConnector.verify({ ...signed, headers: { ...signed.headers, 'x-signature-timestamp': '1701460251' } }, context()),
    ).toThrow(SignatureError);
  });

  it('refuses a correctly signed request whose timestamp is more than five minutes from now, naming why (a replay)', () => {
    const replayed = discordDelivery(body, {
      'x-signature-timestamp': '1000000000',
      'x-signature-ed25519': signDiscord(keys.privateKey, '1000000000', body),
    });
    expect(() => discordConnector.verify(replayed, context())).toThrow(SignatureError);
    expect(() => discordConnector.verify(replayed, context())).toThrow(/more than 300 s .*replay/);
    const future = String(Math.floor(NOW.getTime() / 1000) + 6 * 60);
    const early = discordDelivery(body, {
      'x-signature-timestamp': future,
      'x-signature-ed25519': signDiscord(keys.privateKey, future, body),
    });
    expect(() => discordConnector.verify(early, context())).toThrow(/replay/);
    const garbled = discordDelivery(body, {
      'x-signature-timestamp': 'yesterday',
      'x-signature-ed25519': signDiscord(keys.privateKey, 'yesterday', body),
    });
    expect(() => discordConnector.verify(garbled, context())).toThrow(/Unix seconds/);
  });

  it('accepts a timestamp four minutes old', () => {
    const recent = String(Math.floor(NOW.getTime() / 1000) - 4 * 60);
    const request = discordDelivery(body, {
      'x-signature-timestamp': recent,
      'x-signature-ed25519': signDiscord(keys.privateKey, recent, body),
    });
    expect(() => discordConnector.verify(request, context())).not.toThrow();
  });

  it('says which setting is wrong when the public key is not 64 hex characters', () => {
    const error = (() => {
      try {
        discordConnector.verify(discordDelivery(body), context({ FOGHORN_DISCORD_PUBLIC_KEY: 'not-a-key' }));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(FoghornError);
    expect((error as FoghornError).status).toBe(503);
    expect((error as Error).message).toMatch(/FOGHORN_DISCORD_PUBLIC_KEY/);
  });
});

describe('discord PING handshake', () => {
  it('answers a signed PING with type 1', () => {
    expect(discordConnector.handshake?.(discordDelivery(fixture('ping.json')), context())).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { type: 1 },
    });
  });

  it('refuses a PING with a bad signature (Discord checks that it gets 401), and ignores non-PINGs', () => {
    const bad = discordDelivery(fixture('ping.json'), { 'x-signature-ed25519': '00'.repeat(64) });
    expect(() => discordConnector.handshake?.(bad, context())).toThrow(SignatureError);
    expect(discordConnector.handshake?.(discordDelivery(fixture('slash-command.json')), context())).toBeUndefined();
  });
});
