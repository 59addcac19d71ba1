import { describe, expect, it } from 'vitest';
import { fixtureBytes, hmacBase64, inbound, ingestThrough } from '../../support/connector-harness.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

const SECRET = 'test-consumer-secret';
const body = fixtureBytes(new URL('./fixtures/tweet-create.json', import.meta.url));

describe('x through the ingest', () => {
  const dynamo = useEmbeddedDynamo();

  it("stores a signed delivery's tweets once each, refuses bad signatures, answers the CRC", async () => {
    const ingest = ingestThrough(dynamo.current, { FOGHORN_X_CONSUMER_SECRET: SECRET });
    const signature = `sha256=${hmacBase64(SECRET, body)}`;
    const first = await ingest.post(inbound('x', { body, headers: { 'x-twitter-webhooks-signature': signature } }));
    expect(first).toEqual({ status: 200, body: { ok: true, events: ['x:1992164035913760768', 'x:1992164128654016512'], duplicates: 0 } });
    const again = await ingest.post(inbound('x', { body, headers: { 'x-twitter-webhooks-signature': signature } }));
    expect(again.body).toMatchObject({ duplicates: 2 });
    expect(ingest.published).toHaveLength(2);

    const wrong = await ingest.post(inbound('x', { body, headers: { 'x-twitter-webhooks-signature': `sha256=${hmacBase64('x', body)}` } }));
    const missing = await ingest.post(inbound('x', { body }));
    expect([wrong.status, missing.status]).toEqual([401, 401]);

    const crc = await ingest.post(inbound('x', { method: 'GET', query: { crc_token: 'abc' } }));
    expect(crc).toMatchObject({ status: 200, body: { response_token: `sha256=${hmacBase64(SECRET, 'abc')}` } });
    const unconfigured = await ingestThrough(dynamo.current, {}).post(inbound('x', { method: 'GET', query: { crc_token: 'abc' } }));
    expect(unconfigured.status).toBe(503);
    expect(JSON.stringify(unconfigured.body)).toContain('FOGHORN_X_CONSUMER_SECRET');
  });
});
