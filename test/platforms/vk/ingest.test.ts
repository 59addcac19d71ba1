import { describe, expect, it } from 'vitest';
import { handleWebhook } from '../../../functions/core/ingest.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { ingestHarness } from '../../support/ingest-harness.js';
import { CONFIRMATION, fixture, fixtureWith, NOW, SECRET, vkDelivery } from './request.js';

describe('vk through the ingest', () => {
  const dynamo = useEmbeddedDynamo();
  const harness = () =>
    ingestHarness(
      dynamo.current,
      { FOGHORN_VK_SECRET: SECRET, FOGHORN_VK_CONFIRMATION: CONFIRMATION, FOGHORN_VK_GROUP_ID: '183513233' },
      NOW,
    );
  const OK = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };

  it('answers the confirmation with the configured code', async () => {
    expect(await handleWebhook(vkDelivery(fixture('confirmation.json')), harness().deps)).toEqual({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: CONFIRMATION,
    });
  });

  it('stores a wall comment once and answers ok to the delivery and to its redelivery', async () => {
    const { deps, publisher } = harness();
    expect(await handleWebhook(vkDelivery(fixture('wall-reply-new.json')), deps)).toEqual(OK);
    expect(await handleWebhook(vkDelivery(fixture('wall-reply-new.json')), deps)).toEqual(OK);
    expect(publisher.published.map((event) => event.id)).toEqual(['vk:9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b']);
  });

  it('answers ok to notifications that are not events', async () => {
    expect(await handleWebhook(vkDelivery(fixture('group-join.json')), harness().deps)).toEqual(OK);
  });

  it('answers 401 to a wrong secret and stores nothing', async () => {
    const { deps, store } = harness();
    const response = await handleWebhook(vkDelivery(fixtureWith('message-new-dm.json', { secret: 'wrong-secret-value' })), deps);
    expect(response.status).toBe(401);
    expect(await store.get('vk:6a3d6d6a63fbc9e1c7d1e5c6a0f2f6b1d1a7e4c3')).toBeUndefined();
  });
});
