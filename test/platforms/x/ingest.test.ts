import { describe, expect, it } from 'vitest';
import { handleWebhook } from '../../../functions/core/ingest.js';
import { fixtureBytes, hmacBase64, inbound, ingestThrough } from '../../support/connector-harness.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { ingestHarness } from '../../support/ingest-harness.js';

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

describe('x: the authorisation revoked (user_event)', () => {
  const dynamo = useEmbeddedDynamo();
  const revoke = fixtureBytes(new URL('./fixtures/user-event-revoke.json', import.meta.url));
  const signed = () => inbound('x', { body: revoke, headers: { 'x-twitter-webhooks-signature': `sha256=${hmacBase64(SECRET, revoke)}` } });

  it('accepts the documented payload (no for_user_id) as a system event rules can escalate on, and raises an alert', async () => {
    const { deps, publisher, store } = ingestHarness(
      dynamo.current,
      { FOGHORN_X_CONSUMER_SECRET: SECRET },
      new Date('2026-11-22T10:01:00.000Z'),
    );
    const alerts: string[] = [];
    deps.onAlert = (alert) => alerts.push(alert);
    const response = await handleWebhook(signed(), deps);
    expect(response).toEqual({ status: 200, body: { ok: true, events: ['x:revoke:63046977:2018-05-24T09:48:12.000Z'], duplicates: 0 } });
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({
      kind: 'system',
      author: { id: '63046977', isSelf: false },
      channel: { id: '63046977' },
      createdAt: '2018-05-24T09:48:12.000Z',
      meta: { notice: 'authorization_revoked', appId: '13090192', userId: '63046977' },
    });
    expect(alerts).toEqual([expect.stringMatching(/63046977 revoked .*13090192.*subscription/)]);
    expect(await store.listQuarantine(10)).toEqual([]);
  });
});
