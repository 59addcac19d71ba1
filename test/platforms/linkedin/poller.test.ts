import { describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import { LinkedInPollError, linkedInPoller } from '../../../functions/platforms/linkedin/index.js';
import { sendOutbound, useFakePlatformApi } from '../../support/fake-platform-api.js';
import type { ReceivedRequest } from '../../support/loopback.js';
import { ACCESS_TOKEN, fixtureJson, NOW, ORGANIZATION_ID } from './support.js';

const ORG = encodeURIComponent(`urn:li:organization:${ORGANIZATION_ID}`);
const READ_COMMENT = `/rest/socialActions/${encodeURIComponent('urn:li:activity:7130264455690000000')}/comments/7130271234000000000`;

/** Plays api.linkedin.com: the notifications finder, and the Comments API for the comment sent without its text. */
function linkedInApi(notifications: unknown = fixtureJson('notifications.json')) {
  return (request: ReceivedRequest) => {
    const path = request.url.split('?')[0];
    if (path === '/rest/organizationalEntityNotifications') return { status: 200, body: notifications };
    if (path === READ_COMMENT) return { status: 200, body: fixtureJson('comment-read.json') };
    return { status: 404, body: { status: 404, message: 'Not Found' } };
  };
}

describe('linkedin poller (organizationalEntityNotifications)', () => {
  const api = useFakePlatformApi();
  const context = (now = NOW) => ({
    settings: settingsFrom({
      FOGHORN_LINKEDIN_ACCESS_TOKEN: ACCESS_TOKEN,
      FOGHORN_LINKEDIN_ORGANIZATION_ID: ORGANIZATION_ID,
      FOGHORN_LINKEDIN_API_URL: api.url,
    }),
    now,
    send: sendOutbound,
  });

  it('on a first poll reads the last hour of comments and mentions, fills in a missing comment text, and sets the cursor', async () => {
    api.answer(linkedInApi());
    const result = await linkedInPoller.poll(undefined, context());

    const [finder, comment] = api.received;
    const start = NOW.getTime() - 60 * 60_000;
    expect(finder?.url).toBe(
      `/rest/organizationalEntityNotifications?q=criteria&organizationalEntity=${ORG}&actions=List(COMMENT,SHARE_MENTION)` +
        `&timeRange=(start:${start},end:${NOW.getTime()})&start=0&count=50`,
    );
    expect(finder?.headers).toMatchObject({
      authorization: `Bearer ${ACCESS_TOKEN}`,
      'linkedin-version': '202510',
      'x-restli-protocol-version': '2.0.0',
    });
    expect(comment?.url).toBe(READ_COMMENT);
    // Oldest first; the same ids as the webhook's, so an item read both ways is one event.
    expect(result.events.map((event) => [event.id, event.kind, event.text, event.author.id])).toEqual([
      ['linkedin:1205373016', 'comment', 'Where is my card order 4411? It has been two weeks.', 'urn:li:person:UbBGYL5nzF'],
      ['linkedin:1205373103', 'mention', 'Has anyone else had trouble with the Acme Bank app login today?', 'urn:li:person:Zx8yW7vU6t'],
      ['linkedin:1205373210', 'comment', 'Ist die App heute ausgefallen?', 'urn:li:person:Qw5eR6tY7u'],
    ]);
    expect(result.events[2]?.meta).not.toHaveProperty('textMissing');
    expect(JSON.parse(result.cursor ?? '')).toEqual({ lastModifiedAt: 1700000700000 });
    expect(JSON.parse(result.raw?.get('linkedin:1205373103')?.toString() ?? '{}')).toMatchObject({ notificationId: 1205373103 });
  });

  it('starts the next poll at the cursor and advances it past what is new; keeps it when nothing is', async () => {
    const later = new Date(NOW.getTime() + 120_000);
    const newer = {
      ...fixtureJson<{ elements: Record<string, unknown>[] }>('notifications.json').elements[0],
      notificationId: 1205373300,
      lastModifiedAt: 1700000800000,
    };
    api.answer(linkedInApi({ paging: { start: 0, count: 50 }, elements: [newer] }));
    const next = await linkedInPoller.poll(JSON.stringify({ lastModifiedAt: 1700000700000 }), context(later));
    expect(api.received[0]?.url).toContain(`&timeRange=(start:1700000700000,end:${later.getTime()})&`);
    expect(next.events.map((event) => event.id)).toEqual(['linkedin:1205373300']);
    expect(JSON.parse(next.cursor ?? '')).toEqual({ lastModifiedAt: 1700000800000 });

    api.answer(linkedInApi({ paging: { start: 0, count: 50 }, elements: [] }));
    const idle = await linkedInPoller.poll(next.cursor, context(later));
    expect(idle.events).toEqual([]);
    expect(idle.cursor).toBe(next.cursor);
  });

  it('reads the next page while a page is full', async () => {
    const element = fixtureJson<{ elements: Record<string, unknown>[] }>('notifications.json').elements[0]!;
    const full = Array.from({ length: 50 }, (_, index) => ({ ...element, notificationId: 1_300_000_000 + index }));
    api.answer((request) =>
      request.url.includes('&start=0&')
        ? { status: 200, body: { paging: { start: 0, count: 50 }, elements: full } }
        : { status: 200, body: { paging: { start: 50, count: 50 }, elements: [{ ...element, notificationId: 1_400_000_000 }] } },
    );
    const result = await linkedInPoller.poll(undefined, context());
    expect(api.received.map((request) => new URLSearchParams(request.url.split('?')[1]).get('start'))).toEqual(['0', '50']);
    expect(result.events).toHaveLength(51);
  });

  it('sets aside a notification it cannot read (quarantined) and still moves on past it', async () => {
    const body = fixtureJson<{ elements: Record<string, unknown>[] }>('notifications.json');
    body.elements.unshift({ notificationId: 'x', action: 'COMMENT', lastModifiedAt: 1700000750000 });
    api.answer(linkedInApi(body));
    const result = await linkedInPoller.poll(undefined, context());
    expect(result.events).toHaveLength(3);
    expect(result.rejected?.[0]?.reason).toMatch(/elements\.0\.notificationId/);
    expect(JSON.parse(result.cursor ?? '')).toEqual({ lastModifiedAt: 1700000700000 });
  });

  it('keys a pulled notification without a notificationId by its action and urn, so a re-read is the same event', async () => {
    const { notificationId: _dropped, ...bare } = fixtureJson<{ elements: Record<string, unknown>[] }>('notifications.json').elements[2]!;
    api.answer(linkedInApi({ paging: { start: 0, count: 50 }, elements: [bare] }));
    const first = await linkedInPoller.poll(undefined, context());
    const again = await linkedInPoller.poll(first.cursor, context());
    expect(first.events.map((event) => event.id)).toEqual(['linkedin:SHARE_MENTION:urn:li:share:7130270000000000000']);
    expect(again.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
  });

  it('reports a throttled read with LinkedIn’s Retry-After, leaving the cursor for the next poll', async () => {
    api.answer(() => ({ status: 429, headers: { 'retry-after': '120' }, body: fixtureJson('throttled.json') }));
    const error = await linkedInPoller.poll(undefined, context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LinkedInPollError);
    expect((error as LinkedInPollError).retryAfterMs).toBe(120_000);
  });
});
