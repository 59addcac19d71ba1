import { describe, expect, it } from 'vitest';
import { handleWebhook } from '../../../functions/core/ingest.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { ingestHarness } from '../../support/ingest-harness.js';
import { discordDelivery, fixture, keys, NOW, PUBLIC_KEY_HEX, signDiscord } from './request.js';

describe('discord through the ingest', () => {
  const dynamo = useEmbeddedDynamo();
  const harness = () => ingestHarness(dynamo.current, { FOGHORN_DISCORD_PUBLIC_KEY: PUBLIC_KEY_HEX }, NOW);

  it('answers a signed PING with PONG', async () => {
    expect(await handleWebhook(discordDelivery(fixture('ping.json')), harness().deps)).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { type: 1 },
    });
  });

  it('stores a slash command and answers with a deferred response', async () => {
    const { deps, publisher, store } = harness();
    const response = await handleWebhook(discordDelivery(fixture('slash-command.json')), deps);
    expect(response).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: { type: 5 } });
    expect(publisher.published.map((event) => event.id)).toEqual(['discord:1180234567890123456']);
    expect((await store.get('discord:1180234567890123456'))?.event.meta?.command).toBe('ask');
  });

  it('answers 401 to a PING or command with a bad signature, storing nothing', async () => {
    const { deps, store } = harness();
    expect((await handleWebhook(discordDelivery(fixture('ping.json'), { 'x-signature-ed25519': 'ab'.repeat(64) }), deps)).status).toBe(401);
    expect(
      (await handleWebhook(discordDelivery(fixture('button-click.json'), { 'x-signature-ed25519': 'ab'.repeat(64) }), deps)).status,
    ).toBe(401);
    expect(await store.get('discord:1180234567890125555')).toBeUndefined();
  });

  it('answers 401 to a replayed command signed over an old timestamp, publishing nothing', async () => {
    const { deps, publisher } = harness();
    const body = fixture('slash-command.json');
    const replayed = discordDelivery(body, {
      'x-signature-timestamp': '1000000000',
      'x-signature-ed25519': signDiscord(keys.privateKey, '1000000000', body),
    });
    const response = await handleWebhook(replayed, deps);
    expect(response).toMatchObject({ status: 401, body: { error: expect.stringMatching(/replay/) } });
    expect(publisher.published).toEqual([]);
  });
});
