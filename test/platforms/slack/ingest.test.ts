import { describe, expect, it } from 'vitest';
import { handleWebhook } from '../../../functions/core/ingest.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { ingestHarness } from '../../support/ingest-harness.js';
import { context, fixture, SIGNING_SECRET, slackDelivery } from './request.js';

describe('slack through the ingest', () => {
  const dynamo = useEmbeddedDynamo();
  const harness = (settings: Record<string, string> = { FOGHORN_SLACK_SIGNING_SECRET: SIGNING_SECRET }) =>
    ingestHarness(dynamo.current, settings, context().now);

  it('stores and publishes a signed app_mention once, recognising the X-Slack-Retry-Num redelivery', async () => {
    const { deps, publisher, store } = harness();
    const first = await handleWebhook(slackDelivery(fixture('app-mention.json')), deps);
    const retry = await handleWebhook(
      slackDelivery(fixture('app-mention.json'), { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }),
      deps,
    );
    expect(first).toEqual({ status: 200, body: { ok: true, events: ['slack:Ev123ABC456'], duplicates: 0 } });
    expect(retry).toEqual({ status: 200, body: { ok: true, events: ['slack:Ev123ABC456'], duplicates: 1 } });
    expect(publisher.published.map((event) => event.id)).toEqual(['slack:Ev123ABC456']);
    expect(publisher.republished.map((event) => event.id)).toEqual(['slack:Ev123ABC456']);
    expect((await store.get('slack:Ev123ABC456'))?.event.raw?.ref).toBe('event#slack:Ev123ABC456');
  });

  it('answers url_verification with the challenge', async () => {
    const response = await handleWebhook(slackDelivery(fixture('url-verification.json')), harness().deps);
    expect(response.body).toBe('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
  });

  it('answers 401 to a wrong signature and stores nothing', async () => {
    const { deps, store } = harness();
    const response = await handleWebhook(slackDelivery(fixture('message-im.json'), { 'x-slack-signature': `v0=${'1'.repeat(64)}` }), deps);
    expect(response.status).toBe(401);
    expect(await store.get('slack:Ev0PV52K21')).toBeUndefined();
  });

  it('answers 503 naming the setting when the signing secret is not configured', async () => {
    const response = await handleWebhook(slackDelivery(fixture('app-mention.json')), harness({}).deps);
    expect(response.status).toBe(503);
    expect(JSON.stringify(response.body)).toContain('FOGHORN_SLACK_SIGNING_SECRET');
  });
});
