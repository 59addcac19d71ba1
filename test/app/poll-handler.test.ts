import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAdapters } from '../../functions/app/local-adapters.js';
import { pollStage } from '../../functions/app/poll-handler.js';
import type { WatchedRuleSource } from '../../functions/app/watched-rule-source.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import type { EventPublisher } from '../../functions/core/ports.js';
import type { Settings } from '../../functions/core/settings.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { DynamoCursorStore } from '../../functions/storage/dynamo/cursor-store.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { fixtureJson, redditApi, redditSettings } from '../platforms/reddit/support.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { type FakePlatformApi, startFakePlatformApi } from '../support/fake-platform-api.js';

class RecordingPublisher implements EventPublisher {
  readonly published: CanonicalEvent[] = [];
  async publish(events: readonly CanonicalEvent[]): Promise<void> {
    this.published.push(...events);
  }
}

// The poll stage reads the team config the rules were compiled against (its listen: section), never the rules.
const noRules: WatchedRuleSource = {
  latest: () => ({ compiled: { config: {} } }) as unknown as ReturnType<WatchedRuleSource['latest']>,
  current: async () => {
    throw new Error('the poll stage reads no rules');
  },
  reload: () => ({ status: 'loaded', at: '2026-01-01T00:00:00.000Z' }),
  close: () => {},
};

describe('the poll stage (a schedule on AWS and on one machine)', () => {
  const dynamo = useEmbeddedDynamo();
  const errors: unknown[] = [];
  const logger = {
    info: () => {},
    warn: () => {},
    error: (...detail: unknown[]) => {
      errors.push(detail);
    },
  };
  const adaptersWith = async (settings: Settings, bus: EventPublisher) => ({
    ...(await localAdapters({ table: dynamo.current, rules: noRules, settings, logger, foghornBaseUrl: () => 'http://127.0.0.1:8787' })),
    bus,
  });
  let api: FakePlatformApi;
  beforeAll(async () => {
    api = await startFakePlatformApi();
    api.answer(redditApi({ '/oauth/message/inbox': fixtureJson('inbox.json'), '/oauth/message/mentions': fixtureJson('mentions.json') }));
  });
  afterAll(async () => {
    await api.close();
  });

  it('polls Reddit into the store and the bus, and keeps the cursor in the table', async () => {
    errors.length = 0;
    const publisher = new RecordingPublisher();
    const store = new DynamoEventStore(dynamo.current);
    const { reports } = await pollStage(await adaptersWith(redditSettings(api.url), publisher))();
    expect(errors).toEqual([]);
    expect(reports).toEqual([
      expect.objectContaining({ platform: 'reddit', status: 'polled' }),
      expect.objectContaining({ platform: 'linkedin', status: 'not-configured' }),
    ]);
    expect(publisher.published.length).toBeGreaterThanOrEqual(4);
    expect(publisher.published.map((event) => event.id)).toContain('reddit:t4_2a7bxk9');
    expect((await store.get('reddit:t1_kq4m001'))?.event.raw?.ref).toBe('event#reddit:t1_kq4m001');
    expect(await new DynamoCursorStore(dynamo.current).get('reddit')).toMatch(/t1_kq4m001/);
  });

  it('does nothing, and logs nothing, when Reddit is not configured', async () => {
    errors.length = 0;
    const publisher = new RecordingPublisher();
    const before = api.received.length;
    const { reports } = await pollStage(await adaptersWith(settingsFrom({}), publisher))();
    expect(reports).toEqual([
      expect.objectContaining({ platform: 'reddit', status: 'not-configured' }),
      expect.objectContaining({ platform: 'linkedin', status: 'not-configured' }),
    ]);
    expect(errors).toEqual([]);
    expect(publisher.published).toEqual([]);
    expect(api.received.length).toBe(before);
  });
});
