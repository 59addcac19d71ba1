import { readFileSync } from 'node:fs';
import { settingsFrom } from '../../../functions/core/settings.js';
import type { FakeAnswer } from '../../support/fake-platform-api.js';
import type { ReceivedRequest } from '../../support/loopback.js';

export const NOW = new Date('2023-11-14T22:30:00.000Z');

export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export function redditSettings(apiUrl: string, values: Record<string, string> = {}) {
  return settingsFrom({
    FOGHORN_REDDIT_CLIENT_ID: 'p-jcoLKBynTLew',
    FOGHORN_REDDIT_CLIENT_SECRET: 'gko_LXELoV07ZBNUXrvWZfzE3aI',
    FOGHORN_REDDIT_REFRESH_TOKEN: '1234567890-refresh-token-test',
    FOGHORN_REDDIT_USERNAME: 'foghorn_support',
    FOGHORN_REDDIT_API_URL: `${apiUrl}/oauth`,
    FOGHORN_REDDIT_AUTH_URL: `${apiUrl}/www`,
    ...values,
  });
}

/** Plays www.reddit.com's token endpoint and oauth.reddit.com's listings, by path. */
export function redditApi(
  listings: Record<string, unknown>,
  comment: FakeAnswer = { status: 200, body: fixtureJson('comment-created.json') },
) {
  return (request: ReceivedRequest): FakeAnswer => {
    const path = request.url.split('?')[0] ?? '';
    if (path === '/www/api/v1/access_token') return { status: 200, body: fixtureJson('access-token.json') };
    if (path === '/oauth/api/comment') return comment;
    const listing = listings[path];
    return listing === undefined ? { status: 404, body: { message: 'Not Found', error: 404 } } : { status: 200, body: listing };
  };
}
