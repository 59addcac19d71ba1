import { describe, expect, it } from 'vitest';
import { fixtureBytes, hmacBase64, inbound, ingestThrough } from '../../support/connector-harness.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

const SECRET = 'test-consumer-secret';
const settings = { FOGHORN_X_CONSUMER_SECRET: SECRET };
const body = fixtureBytes(new URL('./fixtures/tweet-create.json', import.meta.url));
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The base64 signature with the character at `position` changed to the one 32 places on, which flips the highest
 * of its six bits: a bit that is part of the digest even in the last character (whose two lowest bits are padding).
 */
function withCharacterChanged(base64: string, position: number): string {
  const changed = BASE64[(BASE64.indexOf(base64[position]!) + 32) % 64]!;
  return `${base64.slice(0, position)}${changed}${base64.slice(position + 1)}`;
}

describe('x-twitter-webhooks-signature, one character off', () => {
  const dynamo = useEmbeddedDynamo();
  const deliver = (signature: string) =>
    ingestThrough(dynamo.current, settings).post(
      inbound('x', { body, headers: { 'x-twitter-webhooks-signature': `sha256=${signature}` } }),
    );

  it('refuses a signature correct except for base64 character 30, storing nothing', async () => {
    const signature = hmacBase64(SECRET, body);
    const tampered = withCharacterChanged(signature, 30);
    expect(Buffer.from(tampered, 'base64').equals(Buffer.from(signature, 'base64'))).toBe(false);
    const ingest = ingestThrough(dynamo.current, settings);
    const answer = await ingest.post(inbound('x', { body, headers: { 'x-twitter-webhooks-signature': `sha256=${tampered}` } }));
    expect(answer).toMatchObject({ status: 401, body: { error: 'x-twitter-webhooks-signature does not match the body' } });
    expect(ingest.published).toEqual([]);
    expect((await deliver(signature)).status).toBe(200);
  });

  it('refuses a signature one character off at every position, so the whole digest is compared', async () => {
    const signature = hmacBase64(SECRET, body);
    const accepted: number[] = [];
    // 43 characters and the '=' of padding; every one of the 43 carries digest bits.
    for (let position = 0; position < 43; position++) {
      if ((await deliver(withCharacterChanged(signature, position))).status !== 401) accepted.push(position);
    }
    expect(accepted).toEqual([]);
  });
});
