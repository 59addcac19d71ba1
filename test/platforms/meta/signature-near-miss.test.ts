import { describe, expect, it } from 'vitest';
import { fixtureBytes, hmacHex, inbound, ingestThrough } from '../../support/connector-harness.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

const SECRET = 'test-app-secret';
const settings = { FOGHORN_META_APP_SECRET: SECRET, FOGHORN_META_VERIFY_TOKEN: 'test-verify-token' };
const body = fixtureBytes(new URL('../facebook/fixtures/feed-comments.json', import.meta.url));

/** The hex signature with the digit at `position` changed (its lowest bit flipped, so a byte of the digest differs). */
function withDigitChanged(hex: string, position: number): string {
  const flipped = (Number.parseInt(hex[position]!, 16) ^ 1).toString(16);
  return `${hex.slice(0, position)}${flipped}${hex.slice(position + 1)}`;
}

describe('Meta X-Hub-Signature-256, one digit off', () => {
  const dynamo = useEmbeddedDynamo();
  const deliver = (signature: string) =>
    ingestThrough(dynamo.current, settings).post(inbound('facebook', { body, headers: { 'x-hub-signature-256': `sha256=${signature}` } }));

  it('refuses a signature correct except for its last hex digit, storing nothing', async () => {
    const signature = hmacHex(SECRET, body);
    const ingest = ingestThrough(dynamo.current, settings);
    const answer = await ingest.post(
      inbound('facebook', { body, headers: { 'x-hub-signature-256': `sha256=${withDigitChanged(signature, 63)}` } }),
    );
    expect(answer).toMatchObject({ status: 401, body: { error: 'x-hub-signature-256 does not match the body' } });
    expect(ingest.published).toEqual([]);
    expect((await deliver(signature)).status).toBe(200);
  });

  it('refuses a signature one digit off at every position, so the whole digest is compared', async () => {
    const signature = hmacHex(SECRET, body);
    const accepted: number[] = [];
    for (let position = 0; position < signature.length; position++) {
      if ((await deliver(withDigitChanged(signature, position))).status !== 401) accepted.push(position);
    }
    expect(accepted).toEqual([]);
  });
});
