import { describe, expect, it } from 'vitest';
import { fixtureBytes, inbound, ingestThrough } from '../../support/connector-harness.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';

const SECRET = 'test-secret-token_42';
const body = fixtureBytes(new URL('./fixtures/group-reply.json', import.meta.url));

describe('telegram through the ingest', () => {
  const dynamo = useEmbeddedDynamo();

  it('stores an update once by its update_id, and refuses a wrong or missing secret token', async () => {
    const ingest = ingestThrough(dynamo.current, { FOGHORN_TELEGRAM_SECRET_TOKEN: SECRET });
    const request = inbound('telegram', { body, headers: { 'x-telegram-bot-api-secret-token': SECRET } });
    expect(await ingest.post(request)).toEqual({ status: 200, body: { ok: true, events: ['telegram:912384756'], duplicates: 0 } });
    expect((await ingest.post(request)).body).toMatchObject({ duplicates: 1 });
    expect((await ingest.store.get('telegram:912384756'))?.event.text).toBe('and on Saturdays?\n\n7 to 19 on weekdays');

    const wrong = await ingest.post(inbound('telegram', { body, headers: { 'x-telegram-bot-api-secret-token': 'guess' } }));
    const missing = await ingest.post(inbound('telegram', { body }));
    expect([wrong.status, missing.status]).toEqual([401, 401]);
    const unconfigured = await ingestThrough(dynamo.current, {}).post(request);
    expect(unconfigured.status).toBe(503);
    expect(JSON.stringify(unconfigured.body)).toContain('FOGHORN_TELEGRAM_SECRET_TOKEN');
  });
});
