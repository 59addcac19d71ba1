import { describe, expect, it } from 'vitest';
import { feedSource } from '../../../functions/listening/feed/index.js';
import { listenOnce, listenStatuses } from '../../../functions/listening/listen.js';
import { listenCursorKey } from '../../../functions/listening/source.js';
import { type FakeAnswer, useFakePlatformApi } from '../../support/fake-platform-api.js';
import type { ReceivedRequest } from '../../support/loopback.js';
import { fixtureText, listenHarness, sourceConfig } from '../support.js';

const RSS = fixtureText('feed', 'sample-rss-2.xml');
const ATOM = fixtureText('feed', 'rfc4287-example.xml');
const JSON_FEED = fixtureText('feed', 'jsonfeed-1.1.json');
/** A little after the RSS sample's newest item (Tue, 03 Jun 2003 09:39:21 GMT). */
const NOW = new Date('2003-06-03T10:00:00Z');
const ETAG = '"liftoff-2003-06-10"';
const LAST_MODIFIED = 'Tue, 10 Jun 2003 09:41:01 GMT';

/** A feed host: serves each path's document with validators, answers 304 to a matching conditional GET. */
function feedHost(documents: Record<string, string>) {
  return (request: ReceivedRequest): FakeAnswer => {
    const body = documents[request.url];
    if (body === undefined) return { status: 404, body: 'not found' };
    if (request.headers['if-none-match'] === ETAG) return { status: 304, body: '' };
    const type = body.startsWith('{') ? 'application/feed+json' : 'application/rss+xml';
    return { status: 200, headers: { 'content-type': type, etag: ETAG, 'last-modified': LAST_MODIFIED }, body };
  };
}

describe('feed source (RSS 2.0, Atom, JSON Feed) into the store', () => {
  const api = useFakePlatformApi();

  it('takes the RSS items dated within since as post events with their link, then reads with a conditional GET', async () => {
    api.answer(feedHost({ '/news.rss': RSS }));
    const { deps, store, cursors, published, clock } = listenHarness({ now: NOW });
    const source = feedSource(sourceConfig({ id: 'liftoff', type: 'feed', urls: [`${api.url}/news.rss`], every: '10m', since: '7d' }));

    const first = await listenOnce(source, deps);

    expect(first).toMatchObject({ source: 'liftoff', status: 'polled', events: 2, created: 2 });
    // 27 May is more than 7 days before NOW: the first poll does not replay the archive.
    expect(published.map((event) => event.url ?? event.id)).toEqual([
      'http://liftoff.msfc.nasa.gov/2003/05/30.html#item572',
      'http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp',
    ]);
    const star = (await store.get('feed:http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp'))?.event;
    expect(star).toMatchObject({
      platform: 'feed',
      kind: 'post',
      url: 'http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp',
      createdAt: '2003-06-03T09:39:21.000Z',
      channel: { id: `${api.url}/news.rss`, name: 'Liftoff News' },
      author: { id: 'Liftoff News' },
      meta: { source: 'liftoff', title: 'Star City' },
    });
    expect(star?.text).toBe(
      "Star City\n\nHow do Americans get ready to work with Russians aboard the International Space Station? They take a crash course in culture, language and protocol at Russia's Star City.",
    );
    expect(JSON.parse((await cursors.get(listenCursorKey('liftoff'))) ?? '{}')).toMatchObject({
      [`${api.url}/news.rss`]: { etag: ETAG, lastModified: LAST_MODIFIED },
    });

    clock.current = new Date(NOW.getTime() + 10 * 60_000);
    const second = await listenOnce(source, deps);
    expect(second).toMatchObject({ status: 'polled', events: 0 });
    expect(api.received[1]?.headers).toMatchObject({ 'if-none-match': ETAG, 'if-modified-since': LAST_MODIFIED });
  });

  it('is not read again before its every, and a changed document yields only its new entries', async () => {
    const documents: Record<string, string> = { '/changing.rss': RSS };
    api.answer((request) => {
      const body = documents[request.url];
      return body === undefined ? { status: 404 } : { status: 200, headers: { 'content-type': 'application/rss+xml' }, body };
    });
    const { deps, published, clock } = listenHarness({ now: NOW });
    const source = feedSource(sourceConfig({ id: 'changing', type: 'feed', urls: [`${api.url}/changing.rss`], every: '10m', since: '1h' }));
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', created: 1 });

    clock.current = new Date(NOW.getTime() + 5 * 60_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'not-due' });
    expect(api.received).toHaveLength(1);

    documents['/changing.rss'] = RSS.replace(
      '<item>',
      '<item><title>Acme bank opens a Star City branch</title><link>http://liftoff.msfc.nasa.gov/news/2003/news-acme.asp?utm_source=rss</link><pubDate>Tue, 03 Jun 2003 10:05:00 GMT</pubDate></item><item>',
    );
    clock.current = new Date(NOW.getTime() + 10 * 60_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', events: 1, created: 1 });
    expect(published.at(-1)).toMatchObject({
      id: 'feed:http://liftoff.msfc.nasa.gov/news/2003/news-acme.asp',
      url: 'http://liftoff.msfc.nasa.gov/news/2003/news-acme.asp?utm_source=rss',
    });
  });

  it('keeps one event for the same article in two feeds (canonical link: no utm_*, no fragment, lower-case host)', async () => {
    const tagged = RSS.replace(
      'http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp',
      'http://LIFTOFF.msfc.nasa.gov/news/2003/news-starcity.asp?utm_source=partner&amp;utm_medium=rss#top',
    );
    api.answer(feedHost({ '/a.rss': RSS, '/b.rss': tagged }));
    const { deps, published } = listenHarness({ now: NOW });
    const a = feedSource(sourceConfig({ id: 'feed-a', type: 'feed', urls: [`${api.url}/a.rss`], every: '10m', since: '1h' }));
    const b = feedSource(sourceConfig({ id: 'feed-b', type: 'feed', urls: [`${api.url}/b.rss`], every: '10m', since: '1h' }));

    expect(await listenOnce(a, deps)).toMatchObject({ events: 1, created: 1 });
    expect(await listenOnce(b, deps)).toMatchObject({ status: 'polled', events: 1, created: 0 });
    expect(published.filter((event) => event.id === 'feed:http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp')).toHaveLength(1);
    expect(published[0]?.meta?.source).toBe('feed-a');
  });

  it('backs off after a 429 until Retry-After says, without a request in between', async () => {
    api.answer(() => ({ status: 429, headers: { 'retry-after': '120' }, body: 'slow down' }));
    const { deps, clock } = listenHarness({ now: NOW });
    const source = feedSource(sourceConfig({ id: 'limited', type: 'feed', urls: [`${api.url}/news.rss`], every: '30s' }));

    const limited = await listenOnce(source, deps);
    expect(limited).toMatchObject({ status: 'failed', retryAt: '2003-06-03T10:02:00.000Z' });
    expect(limited.error).toContain('HTTP 429');

    clock.current = new Date(NOW.getTime() + 60_000);
    expect(await listenOnce(source, deps, { force: true })).toMatchObject({ status: 'backing-off' });
    expect(api.received).toHaveLength(1);

    api.answer(feedHost({ '/news.rss': RSS }));
    clock.current = new Date(NOW.getTime() + 121_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled' });
    expect(api.received).toHaveLength(2);
  });

  it('reports a source that keeps failing: status, audit on each failure, one escalation after alertAfter', async () => {
    api.answer(() => ({ status: 503, body: 'maintenance' }));
    const { deps, cursors, audit, commands, published, clock } = listenHarness({ now: NOW });
    const source = feedSource(
      sourceConfig({ id: 'broken', type: 'feed', urls: [`${api.url}/gone.rss`], every: '1m', alertAfter: 2, escalate: 'oncall' }),
    );
    for (let poll = 0; poll < 3; poll++) {
      clock.current = new Date(NOW.getTime() + poll * 60_000);
      expect(await listenOnce(source, deps)).toMatchObject({ status: 'failed' });
    }

    const [status] = await listenStatuses([source], cursors, clock.current);
    expect(status).toMatchObject({
      source: 'broken',
      type: 'feed',
      state: 'failing',
      failures: 3,
      failingSince: NOW.toISOString(),
      lastError: `feed ${api.url}/gone.rss answered HTTP 503`,
    });
    expect(audit.map((entry) => [entry.kind, entry.what, entry.detail?.failures])).toEqual([
      ['listen', 'listen.failed', 1],
      ['listen', 'listen.failed', 2],
      ['listen', 'listen.failed', 3],
    ]);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ type: 'escalate', ruleId: 'listen:broken', params: { target: 'oncall', severity: 'high' } });
    expect(published.find((event) => event.kind === 'system')?.meta).toMatchObject({ notice: 'listen.failing', source: 'broken' });

    api.answer(feedHost({ '/gone.rss': RSS }));
    clock.current = new Date(NOW.getTime() + 3 * 60_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled' });
    expect((await listenStatuses([source], cursors, clock.current))[0]).toMatchObject({ state: 'ok', failures: 0 });
    expect(audit.at(-1)?.what).toBe('listen.recovered');
  });

  it('reads the others when one of its URLs fails, and reports the one that failed', async () => {
    api.answer(feedHost({ '/good.rss': RSS }));
    const { deps, cursors } = listenHarness({ now: NOW });
    const source = feedSource(
      sourceConfig({ id: 'half', type: 'feed', urls: [`${api.url}/missing.rss`, `${api.url}/good.rss`], every: '10m', since: '1h' }),
    );
    expect(await listenOnce(source, deps)).toMatchObject({
      status: 'failed',
      created: 1,
      error: `feed ${api.url}/missing.rss answered HTTP 404`,
    });
    expect((await listenStatuses([source], cursors, NOW))[0]).toMatchObject({ state: 'failing', failures: 1 });
  });

  it('reads an Atom entry (RFC 4287) with its alternate link, author and published date', async () => {
    api.answer(feedHost({ '/feed.atom': ATOM }));
    const { deps, store } = listenHarness({ now: new Date('2003-12-13T13:00:00Z') });
    const source = feedSource(
      sourceConfig({ id: 'atom', type: 'feed', urls: [`${api.url}/feed.atom`], every: '10m', self: ['Mark Pilgrim'] }),
    );
    expect(await listenOnce(source, deps)).toMatchObject({ created: 1 });
    expect((await store.get('feed:http://example.org/2005/04/02/atom'))?.event).toMatchObject({
      kind: 'post',
      url: 'http://example.org/2005/04/02/atom',
      createdAt: '2003-12-13T12:29:29.000Z',
      author: { id: 'Mark Pilgrim', name: 'Mark Pilgrim', isSelf: true },
      channel: { name: 'dive into mark' },
    });
  });

  it('remembers undated JSON Feed items on the first read and sends only the ones added later', async () => {
    const documents: Record<string, string> = { '/feed.json': JSON_FEED };
    api.answer((request) => ({ status: 200, headers: { 'content-type': 'application/feed+json' }, body: documents[request.url] ?? '' }));
    const { deps, published, clock } = listenHarness({ now: NOW });
    const source = feedSource(sourceConfig({ id: 'json', type: 'feed', urls: [`${api.url}/feed.json`], every: '10m' }));
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', events: 0 });

    const feed = JSON.parse(JSON_FEED) as { items: unknown[] };
    feed.items.unshift({ id: '3', content_text: 'Acme bank is down again', url: 'https://example.org/third-item' });
    documents['/feed.json'] = JSON.stringify(feed);
    clock.current = new Date(NOW.getTime() + 10 * 60_000);
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', events: 1 });
    expect(published.at(-1)).toMatchObject({ id: 'feed:https://example.org/third-item', text: 'Acme bank is down again', kind: 'post' });
  });

  it('quarantines a document that is no feed at all, and keeps polling', async () => {
    api.answer(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Moved</body></html>' }));
    const { deps } = listenHarness({ now: NOW });
    const source = feedSource(sourceConfig({ id: 'html', type: 'feed', urls: [`${api.url}/page`], every: '10m' }));
    expect(await listenOnce(source, deps)).toMatchObject({ status: 'polled', quarantined: 1 });
  });
});
