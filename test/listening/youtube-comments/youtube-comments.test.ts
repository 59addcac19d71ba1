import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { listenOnce } from '../../../functions/listening/listen.js';
import { youtubeCommentsSource } from '../../../functions/listening/youtube-comments/index.js';
import { connectorFor } from '../../../functions/platforms/index.js';
import { type FakeAnswer, sendOutbound, useFakePlatformApi } from '../../support/fake-platform-api.js';
import type { ReceivedRequest } from '../../support/loopback.js';
import { fixtureText, listenHarness, query, sourceConfig } from '../support.js';

const THREADS = JSON.parse(fixtureText('youtube-comments', 'comment-threads.json')) as { items: unknown[] };
const NOW = new Date('2024-03-02T11:00:00Z');
const API_KEY = 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY';

function googleApi(threads: (request: ReceivedRequest) => FakeAnswer) {
  return (request: ReceivedRequest): FakeAnswer => {
    if (request.url.startsWith('/youtube/v3/commentThreads')) return threads(request);
    if (request.url === '/token')
      return {
        status: 200,
        body: {
          access_token: 'ya29.a0AfB_byC',
          expires_in: 3599,
          scope: 'https://www.googleapis.com/auth/youtube.force-ssl',
          token_type: 'Bearer',
        },
      };
    if (request.url.startsWith('/youtube/v3/comments'))
      return { status: 200, body: { kind: 'youtube#comment', id: 'UgzDE2tasfmrYLyNkGt4AaABAg.9zYxWvU', snippet: {} } };
    return { status: 404, body: { error: { code: 404, message: 'Not Found' } } };
  };
}

describe('youtube-comments source (commentThreads.list) into the store', () => {
  const api = useFakePlatformApi();
  const settings = () => settingsFrom({ FOGHORN_YOUTUBE_API_KEY: API_KEY, FOGHORN_YOUTUBE_BASE_URL: api.url });
  const config = (id: string, extra: Record<string, unknown> = {}) =>
    sourceConfig({
      id,
      type: 'youtube-comments',
      channels: ['UC_x5XG1OV2P6uZZ5FSM9Ttw'],
      every: '10m',
      since: '6h',
      self: ['@AcmeBank'],
      ...extra,
    });

  it('reads a channel’s threads newest first with the key in a header, and makes mentions with a link to the comment', async () => {
    api.answer(googleApi(() => ({ status: 200, body: THREADS })));
    const { deps, store, clock } = listenHarness({ now: NOW, settings: settings() });
    const source = youtubeCommentsSource(config('yt-reviews'));
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', created: 2 });
    expect(query(api.received[0])).toEqual({
      part: 'snippet',
      order: 'time',
      maxResults: '100',
      textFormat: 'plainText',
      allThreadsRelatedToChannelId: 'UC_x5XG1OV2P6uZZ5FSM9Ttw',
    });
    expect(api.received[0]?.headers['x-goog-api-key']).toBe(API_KEY);
    expect(api.received[0]?.url).not.toContain(API_KEY);
    expect((await store.get('youtube:UgzDE2tasfmrYLyNkGt4AaABAg'))?.event).toMatchObject({
      platform: 'youtube',
      kind: 'mention',
      text: 'The Acme Bank card in this review got declined at my shop too',
      author: { id: 'UCW8Ews7tdKKkBT6GdtQaXvQ', handle: 'NiloufarK' },
      url: 'https://www.youtube.com/watch?v=wtLJPvx7-ys&lc=UgzDE2tasfmrYLyNkGt4AaABAg',
      meta: { source: 'yt-reviews', commentId: 'UgzDE2tasfmrYLyNkGt4AaABAg', videoId: 'wtLJPvx7-ys' },
    });
    expect((await store.get('youtube:UgyQx5Q3T5qk0xkEo2V4AaABAg'))?.event.author.isSelf).toBe(true);

    clock.current = new Date(NOW.getTime() + 10 * 60_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', events: 0 });
  });

  it('keeps one event for a thread read by channel and by video', async () => {
    api.answer(googleApi(() => ({ status: 200, body: THREADS })));
    const { deps } = listenHarness({ now: NOW, settings: settings() });
    expect(await listenOnce(youtubeCommentsSource(config('yt-channel')), deps)).toMatchObject({ created: 2 });
    expect(
      await listenOnce(youtubeCommentsSource(config('yt-video', { channels: undefined, videos: ['wtLJPvx7-ys'] })), deps),
    ).toMatchObject({
      events: 2,
      created: 0,
    });
    expect(query(api.received.at(-1)).videoId).toBe('wtLJPvx7-ys');
  });

  it('waits a quarter of an hour when the daily quota is spent, and reports it', async () => {
    api.answer(
      googleApi(() => ({
        status: 403,
        body: {
          error: {
            code: 403,
            message: 'The request cannot be completed because you have exceeded your quota.',
            errors: [{ message: 'quota', domain: 'youtube.quota', reason: 'quotaExceeded' }],
          },
        },
      })),
    );
    const { deps } = listenHarness({ now: NOW, settings: settings() });
    const report = await listenOnce(youtubeCommentsSource(config('yt-quota')), deps);
    expect(report).toMatchObject({ status: 'failed', retryAt: '2024-03-02T11:15:00.000Z' });
    expect(report.error).toContain('(quotaExceeded)');
  });

  it('backs off until Retry-After after a 429, without a request in between', async () => {
    api.answer(
      googleApi(() => ({ status: 429, headers: { 'retry-after': '90' }, body: { error: { code: 429, message: 'Too Many Requests' } } })),
    );
    const { deps, clock } = listenHarness({ now: NOW, settings: settings() });
    const source = youtubeCommentsSource(config('yt-limited'));
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'failed', retryAt: '2024-03-02T11:01:30.000Z' });
    clock.current = new Date(NOW.getTime() + 60_000);
    expect(await listenOnce(source, deps, { force: true })).toMatchObject({ status: 'backing-off' });
    expect(api.received).toHaveLength(1);
  });

  it('replies under the thread with comments.insert after trading the refresh token', async () => {
    api.answer(googleApi(() => ({ status: 200, body: THREADS })));
    const { deps, store } = listenHarness({ now: NOW, settings: settings() });
    await listenOnce(youtubeCommentsSource(config('yt-reply')), deps);
    const event = (await store.get('youtube:UgzDE2tasfmrYLyNkGt4AaABAg'))?.event;
    const connector = connectorFor('youtube');
    if (!connector?.authorize || !event) throw new Error('no youtube connector or event');
    const live = settingsFrom({
      FOGHORN_YOUTUBE_BASE_URL: api.url,
      FOGHORN_YOUTUBE_TOKEN_URL: `${api.url}/token`,
      FOGHORN_YOUTUBE_CLIENT_ID: '1234-abc.apps.googleusercontent.com',
      FOGHORN_YOUTUBE_CLIENT_SECRET: 'GOCSPX-secret',
      FOGHORN_YOUTUBE_REFRESH_TOKEN: '1//0gRefresh',
    });
    const authorized = await connector.authorize({ settings: live, now: NOW, send: sendOutbound });
    const command: ActionCommand = {
      id: 'act_yt',
      eventId: event.id,
      ruleId: 'r',
      index: 0,
      type: 'reply',
      params: { text: 'Sorry! Our team will DM you.' },
      event,
      createdAt: NOW.toISOString(),
    };
    const request = connector.buildRequest(command, { settings: authorized, now: NOW });
    expect(request).toMatchObject({
      method: 'POST',
      url: `${api.url}/youtube/v3/comments?part=snippet`,
      headers: { authorization: 'Bearer ya29.a0AfB_byC' },
    });
    expect(JSON.parse(request.body ?? '{}')).toEqual({
      snippet: { parentId: 'UgzDE2tasfmrYLyNkGt4AaABAg', textOriginal: 'Sorry! Our team will DM you.' },
    });
    expect(connector.interpretResponse(await sendOutbound(request), command, { settings: authorized, now: NOW })).toEqual({
      externalId: 'UgzDE2tasfmrYLyNkGt4AaABAg.9zYxWvU',
    });
  });
});
