import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handleWebhook } from '../../../functions/core/ingest.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { ingestHarness } from '../../support/ingest-harness.js';
import { CLIENT_SECRET, challenge, delivery, fixture, NOW, ORGANIZATION_ID, signature } from './support.js';

describe('linkedin through the ingest', () => {
  const dynamo = useEmbeddedDynamo();
  const harness = () =>
    ingestHarness(
      dynamo.current,
      { FOGHORN_LINKEDIN_CLIENT_SECRET: CLIENT_SECRET, FOGHORN_LINKEDIN_ORGANIZATION_ID: ORGANIZATION_ID },
      NOW,
    );

  it('answers the validation GET with the challenge response', async () => {
    const code = '890e4665-4dfe-4ab1-b689-ed553bceeed0';
    const response = await handleWebhook(challenge({ challengeCode: code }), harness().deps);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      challengeCode: code,
      challengeResponse: createHmac('sha256', CLIENT_SECRET).update(code).digest('hex'),
    });
  });

  it('stores a comment once and acknowledges the delivery and LinkedIn’s redelivery with 2xx', async () => {
    const { deps, publisher, store } = harness();
    const first = await handleWebhook(delivery(fixture('comment.json')), deps);
    const again = await handleWebhook(delivery(fixture('comment.json')), deps);
    expect(first.status).toBeLessThan(300);
    expect(again.status).toBeLessThan(300);
    expect(publisher.published.map((event) => event.id)).toEqual(['linkedin:1205373016']);
    expect((await store.get('linkedin:1205373016'))?.event.text).toBe('Where is my card order 4411? It has been two weeks.');
  });

  it('answers 401 to a wrong signature and stores nothing', async () => {
    const { deps, store } = harness();
    const body = Buffer.from(fixture('comment.json').toString().replace('1205373016', '1205379999'));
    const response = await handleWebhook(delivery(body, { 'x-li-signature': signature(body, 'not-the-client-secret') }), deps);
    expect(response.status).toBe(401);
    expect(await store.get('linkedin:1205379999')).toBeUndefined();
    // The same body correctly signed is stored: the refusal was the signature's.
    expect((await handleWebhook(delivery(body), deps)).status).toBeLessThan(300);
    expect(await store.get('linkedin:1205379999')).toBeDefined();
  });

  it('answers 503 naming the setting when the client secret is not configured', async () => {
    const { deps } = ingestHarness(dynamo.current, {}, NOW);
    const response = await handleWebhook(delivery(fixture('comment.json')), deps);
    expect(response.status).toBe(503);
    expect(JSON.stringify(response.body)).toContain('FOGHORN_LINKEDIN_CLIENT_SECRET');
  });
});
