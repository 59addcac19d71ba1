import { describe, expect, it } from 'vitest';
import { handleWebhook } from '../../../functions/core/ingest.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { ingestHarness } from '../../support/ingest-harness.js';
import { NOW } from './support.js';

describe('reddit through the ingest', () => {
  const dynamo = useEmbeddedDynamo();

  it('refuses a webhook with 404, saying Reddit is polled', async () => {
    const { deps, publisher } = ingestHarness(dynamo.current, {}, NOW);
    const request = { method: 'POST', platform: 'reddit', headers: {}, query: {}, rawBody: Buffer.from('{"kind":"t1"}'), receivedAt: NOW };
    const response = await handleWebhook(request, deps);
    expect(response.status).toBe(404);
    expect((response.body as { error: string }).error).toMatch(/has no webhooks: Foghorn polls/);
    expect(publisher.published).toEqual([]);
  });
});
