import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPollHandler } from '../../functions/app/poll-handler.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { pollOnce } from '../../functions/core/poll.js';
import type { EventPublisher } from '../../functions/core/ports.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { RedditTokenCache } from '../../functions/platforms/reddit/oauth.js';
import { createRedditPoller } from '../../functions/platforms/reddit/poller.js';
import { DynamoCursorStore } from '../../functions/storage/dynamo/cursor-store.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { fixtureJson, NOW, redditApi, redditSettings } from '../platforms/reddit/support.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { type FakePlatformApi, sendOutbound, startFakePlatformApi } from '../support/fake-platform-api.js';

/** The bus port, recording what was published; `failNext` makes the next publish fail like an EventBridge outage. */
class RecordingPublisher implements EventPublisher {
  readonly published: CanonicalEvent[] = [];
  failNext = false;
  async publish(events: readonly CanonicalEvent[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('bus unavailable');
    }
    this.published.push(...events);
  }
}

describe('pollOnce (reddit into the pipeline)', () => {
  const dynamo = useEmbeddedDynamo();
  let api: FakePlatformApi;
  beforeAll(async () => {
    api = await startFakePlatformApi();
    api.answer(redditApi({ '/oauth/message/inbox': fixtureJson('inbox.json'), '/oauth/message/mentions': fixtureJson('mentions.json') }));
  });
  afterAll(async () => {
    await api.close();
  });

  const setup = (publisher = new RecordingPublisher()) => {
    const { client, tableName } = dynamo.current;
    const store = new DynamoEventStore({ client, tableName });
    const cursors = new DynamoCursorStore({ client, tableName });
    const deps = { cursors, store, publisher, settings: redditSettings(api.url), send: sendOutbound, clock: { now: () => NOW } };
    return { store, cursors, publisher, deps };
  };

  it('stores each polled item once with its raw payload, publishes it, then moves the cursor', async () => {
    const { store, cursors, publisher, deps } = setup();
    const poller = createRedditPoller(new RedditTokenCache());
    const report = await pollOnce(poller, deps);

    expect(report).toEqual({ platform: 'reddit', status: 'polled', events: 4, created: 4, quarantined: 0 });
    expect(publisher.published.map((event) => event.id)).toEqual([
      'reddit:t1_kq3x9z1',
      'reddit:t4_2a7bxk9',
      'reddit:t1_kq4m000',
      'reddit:t1_kq4m001',
    ]);
    const stored = await store.get('reddit:t4_2a7bxk9');
    expect(stored?.event.kind).toBe('dm');
    expect(stored?.event.raw?.ref).toBe('event#reddit:t4_2a7bxk9');
    const raw = await store.getRaw(stored?.event.raw?.ref ?? '');
    expect(JSON.parse(raw?.toString() ?? '{}')).toMatchObject({ kind: 't4', data: { name: 't4_2a7bxk9' } });
    expect(JSON.parse((await cursors.get('reddit')) ?? '{}')).toEqual({
      inbox: { name: 't4_2a7bxk9', created: 1700000300 },
      mentions: { name: 't1_kq4m001', created: 1700000400 },
    });

    // Nothing newer: the next poll stores and publishes nothing.
    const again = await pollOnce(poller, deps);
    expect(again).toMatchObject({ events: 0, created: 0 });
    expect(publisher.published).toHaveLength(4);
  });

  it('skips a poller whose settings are missing, naming them, without calling the platform', async () => {
    const { deps } = setup();
    const before = api.received.length;
    const report = await pollOnce(createRedditPoller(new RedditTokenCache()), {
      ...deps,
      settings: settingsFrom({ FOGHORN_REDDIT_CLIENT_ID: 'x' }),
    });
    expect(report).toEqual({
      platform: 'reddit',
      status: 'not-configured',
      events: 0,
      created: 0,
      quarantined: 0,
      missing: ['FOGHORN_REDDIT_CLIENT_SECRET', 'FOGHORN_REDDIT_REFRESH_TOKEN', 'FOGHORN_REDDIT_USERNAME'],
    });
    expect(api.received.length).toBe(before);
  });

  it('quarantines items the poller could not read, with their raw payload', async () => {
    const { deps, store } = setup();
    const raw = Buffer.from('{"kind":"t1","data":{"name":"t1_odd"}}');
    const poller = {
      platform: 'odd',
      settingsRequired: [],
      poll: async () => ({ events: [], cursor: 'c1', rejected: [{ reason: 'reddit item t1_odd without `created_utc`', raw }] }),
    };
    expect(await pollOnce(poller, deps)).toMatchObject({ events: 0, quarantined: 1 });
    const [entry] = (await store.listQuarantine(10)).filter((candidate) => candidate.platform === 'odd');
    expect(entry?.reason).toBe('reddit item t1_odd without `created_utc`');
    expect((await store.getRaw(entry?.rawRef ?? ''))?.toString()).toBe(raw.toString());
  });

  it('runs every poller from the handler and fails naming the platform that failed', async () => {
    const { deps } = setup();
    const failing = {
      platform: 'broken',
      settingsRequired: [],
      poll: async () => {
        throw new Error('listing unreadable');
      },
    };
    const errors: string[] = [];
    const handler = createPollHandler({ ...deps, pollers: [failing, createRedditPoller(new RedditTokenCache())] }, (_error, platform) =>
      errors.push(platform),
    );
    await expect(handler()).rejects.toThrow('poll failed for broken: listing unreadable');
    expect(errors).toEqual(['broken']);
  });
});

describe('pollOnce when the bus is down', () => {
  const dynamo = useEmbeddedDynamo();
  let api: FakePlatformApi;
  beforeAll(async () => {
    api = await startFakePlatformApi();
    api.answer(redditApi({ '/oauth/message/inbox': fixtureJson('inbox.json'), '/oauth/message/mentions': fixtureJson('mentions.json') }));
  });
  afterAll(async () => {
    await api.close();
  });

  it('leaves the cursor where it was when publishing fails, and publishes the stored events on the next poll', async () => {
    const { client, tableName } = dynamo.current;
    const publisher = new RecordingPublisher();
    const cursors = new DynamoCursorStore({ client, tableName });
    const deps = {
      cursors,
      store: new DynamoEventStore({ client, tableName }),
      publisher,
      settings: redditSettings(api.url),
      send: sendOutbound,
      clock: { now: () => NOW },
    };
    const poller = createRedditPoller(new RedditTokenCache());
    publisher.failNext = true;
    await expect(pollOnce(poller, deps)).rejects.toThrow('bus unavailable');
    expect(await cursors.get('reddit')).toBeUndefined();

    const retry = await pollOnce(poller, deps);
    // Stored by the failed run (created 0) but never published: published now, and the cursor moves.
    expect(retry).toMatchObject({ events: 4, created: 0 });
    expect(publisher.published).toHaveLength(4);
    expect(await cursors.get('reddit')).toBeDefined();
  });
});
