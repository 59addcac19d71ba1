import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePlatformApi, startFakePlatformApi } from '../../support/fake-platform-api.js';
import { getJson, useRuntimeProcess, waitForAction } from '../../support/runtime-process.js';
import { ACCESS_TOKEN, fixtureJson, ORGANIZATION_ID } from './support.js';

const RULE = `
id: e2e-linkedin-outage
description: Answer questions about an outage
when:
  all:
    - { fact: text, operator: containsAny, value: ["ausgefallen"] }
then:
  - reply:
      text:
        default: "Die App läuft wieder."
`;

const COMMENT_URN = 'urn:li:comment:(urn:li:activity:7130264455690000000,7130271234000000000)';

describe('linkedin polled by the local runtime (npm start)', () => {
  // Not useFakePlatformApi: the runtime polls and answers at start, before a test could look, so nothing is cleared.
  let api: FakePlatformApi;
  beforeAll(async () => {
    api = await startFakePlatformApi();
    api.answer((request) => {
      const path = request.url.split('?')[0] ?? '';
      if (path === '/rest/organizationalEntityNotifications') return { status: 200, body: fixtureJson('notifications.json') };
      if (path.endsWith('/comments/7130271234000000000')) return { status: 200, body: fixtureJson('comment-read.json') };
      if (request.method === 'POST' && path.endsWith('/comments'))
        return {
          status: 201,
          body: {
            ...fixtureJson<Record<string, unknown>>('comment-created.json'),
            commentUrn: 'urn:li:comment:(urn:li:activity:7130264455690000000,7130279999000000000)',
          },
        };
      return { status: 404, body: { status: 404, message: 'Not Found' } };
    });
  });
  afterAll(async () => {
    await api?.close();
  });
  const runtime = useRuntimeProcess(() => ({
    rules: { 'answer.yaml': RULE },
    env: {
      FOGHORN_LINKEDIN_ACCESS_TOKEN: ACCESS_TOKEN,
      FOGHORN_LINKEDIN_ORGANIZATION_ID: ORGANIZATION_ID,
      FOGHORN_LINKEDIN_API_URL: api.url,
      FOGHORN_LOG_LEVEL: 'warn',
    },
  }));

  it('polls the Page’s notifications at start, reads the text of a bare comment, and answers it under that comment', async () => {
    const action = await waitForAction(
      runtime.current.url,
      'the reply',
      (candidate) => candidate.eventId === 'linkedin:1205373210' && candidate.status === 'succeeded',
    );
    expect(action).toMatchObject({
      ruleId: 'e2e-linkedin-outage',
      mode: 'live',
      externalId: 'urn:li:comment:(urn:li:activity:7130264455690000000,7130279999000000000)',
      request: { method: 'POST', url: `${api.url}/rest/socialActions/${encodeURIComponent(COMMENT_URN)}/comments` },
    });
    const sent = api.received.find((request) => request.method === 'POST');
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      actor: 'urn:li:organization:2414183',
      object: 'urn:li:activity:7130264455690000000',
      message: { text: 'Die App läuft wieder.' },
      parentComment: COMMENT_URN,
    });
    const { events } = await getJson<{ events: Array<{ id: string; kind: string }> }>(`${runtime.current.url}/api/events?limit=1000`);
    expect(events.find((event) => event.id === 'linkedin:1205373103')?.kind).toBe('mention');
  });
});
