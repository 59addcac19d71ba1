import { describe, expect, it } from 'vitest';
import { fixtureBytes, hmacHex, inbound, ingestThrough } from '../../support/connector-harness.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

const SECRET = 'test-app-secret';
const settings = { FOGHORN_META_APP_SECRET: SECRET, FOGHORN_META_VERIFY_TOKEN: 'test-verify-token' };
const deliveries = {
  facebook: fixtureBytes(new URL('../facebook/fixtures/feed-comments.json', import.meta.url)),
  instagram: fixtureBytes(new URL('../instagram/fixtures/comments.json', import.meta.url)),
  whatsapp: fixtureBytes(new URL('../whatsapp/fixtures/messages.json', import.meta.url)),
};
const expectedIds = {
  facebook: [
    'facebook:912837465019283_1029384756102938',
    'facebook:912837465019283_5647382910564738',
    'facebook:104857392019283_918273645501928',
  ],
  instagram: ['instagram:17865799348089039', 'instagram:17912345678901234', 'instagram:mention:17894227972186120'],
  whatsapp: [
    'whatsapp:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
    'whatsapp:wamid.HBgKNDc5MTIzNDU2NxUCABIYFDNBMDI3RTVGNjE2QkE3QzQ1RkI0AA==',
  ],
};

describe.each(['facebook', 'instagram', 'whatsapp'] as const)('%s through the ingest', (platform) => {
  const dynamo = useEmbeddedDynamo();
  const body = deliveries[platform];
  const signed = (signature: string | undefined) =>
    inbound(platform, { body, headers: signature === undefined ? {} : { 'x-hub-signature-256': signature } });

  it('stores and publishes each entry and change of a signed delivery once, and recognises the redelivery', async () => {
    const ingest = ingestThrough(dynamo.current, settings);
    const first = await ingest.post(signed(`sha256=${hmacHex(SECRET, body)}`));
    expect(first).toEqual({ status: 200, body: { ok: true, events: expectedIds[platform], duplicates: 0 } });
    const again = await ingest.post(signed(`sha256=${hmacHex(SECRET, body)}`));
    expect(again.body).toMatchObject({ duplicates: expectedIds[platform].length });
    expect(ingest.published.map((event) => event.id)).toEqual(expectedIds[platform]);
    expect(ingest.republished.map((event) => event.id)).toEqual(expectedIds[platform]);
    // The delivery's payload is kept once, with its first event, and every event of the delivery points there.
    const rawRef = `event#${expectedIds[platform][0]}`;
    for (const id of expectedIds[platform]) {
      const stored = await ingest.store.get(id);
      expect(stored?.event.platform).toBe(platform);
      expect(stored?.event.raw?.ref).toBe(rawRef);
    }
    expect((await ingest.store.getRaw(rawRef))?.equals(body)).toBe(true);
  });

  it('answers 401 to a wrong or missing signature and stores nothing', async () => {
    const ingest = ingestThrough(dynamo.current, settings);
    const wrong = await ingest.post(signed(`sha256=${hmacHex('not-the-secret', body)}`));
    const missing = await ingest.post(signed(undefined));
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    expect(ingest.published).toEqual([]);
  });

  it('answers the hub.challenge handshake, and 503 naming the variable when the app secret is not set', async () => {
    const ingest = ingestThrough(dynamo.current, settings);
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'test-verify-token', 'hub.challenge': '1158201444' };
    expect(await ingest.post(inbound(platform, { method: 'GET', query }))).toMatchObject({ status: 200, body: '1158201444' });
    const unconfigured = ingestThrough(dynamo.current, { FOGHORN_META_VERIFY_TOKEN: 'test-verify-token' });
    const refused = await unconfigured.post(signed(`sha256=${hmacHex(SECRET, body)}`));
    expect(refused.status).toBe(503);
    expect(JSON.stringify(refused.body)).toContain('FOGHORN_META_APP_SECRET');
  });
});

describe('documented Messenger deliveries that carry no message, through the ingest', () => {
  const dynamo = useEmbeddedDynamo();
  const documented = {
    'message_deliveries without timestamp': fixtureBytes(new URL('../facebook/fixtures/message-deliveries.json', import.meta.url)),
    'checkbox-plugin optin without sender': fixtureBytes(new URL('../facebook/fixtures/checkbox-optin.json', import.meta.url)),
  };

  it.each(Object.entries(documented))('accepts %s with 200, as no event and nothing quarantined', async (_name, body) => {
    const ingest = ingestThrough(dynamo.current, settings);
    const before = (await ingest.store.listQuarantine(100)).length;
    const response = await ingest.post(
      inbound('facebook', { body, headers: { 'x-hub-signature-256': `sha256=${hmacHex(SECRET, body)}` } }),
    );
    expect(response).toEqual({ status: 200, body: { ok: true, events: [], duplicates: 0 } });
    expect(ingest.published).toEqual([]);
    expect(await ingest.store.listQuarantine(100)).toHaveLength(before);
  });
});
