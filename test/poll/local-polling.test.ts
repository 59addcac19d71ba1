import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../functions/core/event.js';
import type { EventPublisher } from '../../functions/core/ports.js';
import { settingsFrom } from '../../functions/core/config.js';
import { localPolling } from '../../functions/poll/local-polling.js';
import { DynamoCursorStore } from '../../functions/storage/dynamo/cursor-store.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { type FakePlatformApi, startFakePlatformApi } from '../support/fake-platform-api.js';
import { waitFor } from '../support/runtime-process.js';
import { fixtureJson, redditApi, redditSettings } from '../platforms/reddit/support.js';

class RecordingPublisher implements EventPublisher {
  readonly published: CanonicalEvent[] = [];
  async publish(events: readonly CanonicalEvent[]): Promise<void> { this.published.push(...events); }
}

describe('localPolling (the local runtime\'s poll schedule)', () => {
  const dynamo = useEmbeddedDynamo();
  let api: FakePlatformApi;
  beforeAll(async () => {
    api = await startFakePlatformApi();
    api.answer(redditApi({ '/oauth/message/inbox': fixtureJson('inbox.json'), '/oauth/message/mentions': fixtureJson('mentions.json') }));
  });
  afterAll(async () => { await api.close(); });

  it('polls Reddit at start into the store and the bus, and keeps the cursor in the table', async () => {
    const publisher = new RecordingPublisher();
    const store = new DynamoEventStore(dynamo.current);
    const errors: unknown[] = [];
    const scheduler = localPolling({
      table: dynamo.current, store, publisher, settings: redditSettings(api.url), everyMs: 60_000,
      logger: { error: (...detail: unknown[]) => errors.push(detail) },
    });
    scheduler.start();
    try {
      await waitFor('the first poll', async () => (publisher.published.length >= 4 ? true : undefined));
    } finally {
      await scheduler.stop();
    }
    expect(errors).toEqual([]);
    expect(publisher.published.map((event) => event.id)).toContain('reddit:t4_2a7bxk9');
    expect((await store.get('reddit:t1_kq4m001'))?.published).toBe(true);
    expect(await new DynamoCursorStore(dynamo.current).get('reddit')).toMatch(/t1_kq4m001/);
  });

  it('does nothing, and logs nothing, when Reddit is not configured', async () => {
    const publisher = new RecordingPublisher();
    const errors: unknown[] = [];
    const before = api.received.length;
    const scheduler = localPolling({
      table: dynamo.current, store: new DynamoEventStore(dynamo.current), publisher, settings: settingsFrom({}), everyMs: 60_000,
      logger: { error: (...detail: unknown[]) => errors.push(detail) },
    });
    scheduler.start();
    await scheduler.stop();
    expect(errors).toEqual([]);
    expect(publisher.published).toEqual([]);
    expect(api.received.length).toBe(before);
  });
});
