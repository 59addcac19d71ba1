import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePlatformApi, startFakePlatformApi } from '../../support/fake-platform-api.js';
import { getJson, makeWorkspace, type RuntimeProcess, startRuntimeProcess, waitFor } from '../../support/runtime-process.js';
import { fixtureJson, redditApi } from './support.js';

const RULE = `
id: e2e-reddit-answer
description: Answer Android questions
when:
  all:
    - { fact: text, operator: containsAny, value: ["android"] }
then:
  - reply:
      text:
        default: "Yes, Android 10 and later."
`;

interface RecordedAction {
  eventId: string;
  ruleId: string;
  status: string;
  mode?: string;
  externalId?: string;
  request?: { method: string; url: string; body?: string };
}

describe('reddit polled by the local runtime (npm start)', () => {
  let api: FakePlatformApi;
  let runtime: RuntimeProcess;
  beforeAll(async () => {
    api = await startFakePlatformApi();
    api.answer(redditApi({ '/oauth/message/inbox': fixtureJson('inbox.json'), '/oauth/message/mentions': fixtureJson('mentions.json') }));
    runtime = await startRuntimeProcess({
      ...makeWorkspace({ 'answer.yaml': RULE }),
      env: {
        FOGHORN_REDDIT_CLIENT_ID: 'p-jcoLKBynTLew',
        FOGHORN_REDDIT_CLIENT_SECRET: 'gko_LXELoV07ZBNUXrvWZfzE3aI',
        FOGHORN_REDDIT_REFRESH_TOKEN: '1234567890-refresh-token-test',
        FOGHORN_REDDIT_USERNAME: 'foghorn_support',
        FOGHORN_REDDIT_API_URL: `${api.url}/oauth`,
        FOGHORN_REDDIT_AUTH_URL: `${api.url}/www`,
        FOGHORN_LOG_LEVEL: 'warn',
      },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    await api?.close();
  });

  it('polls the inbox at start, and answers a matching comment reply through /api/comment', async () => {
    const action = await waitFor('the reply', async () => {
      const { actions } = await getJson<{ actions: RecordedAction[] }>(`${runtime.url}/api/actions?limit=1000`);
      return actions.find((candidate) => candidate.eventId === 'reddit:t1_kq3x9z1' && candidate.status === 'succeeded');
    });
    expect(action).toMatchObject({
      ruleId: 'e2e-reddit-answer',
      mode: 'live',
      externalId: 't1_kq5n777',
      request: { method: 'POST', url: `${api.url}/oauth/api/comment` },
    });
    const comment = api.received.find((request) => request.url === '/oauth/api/comment');
    expect(Object.fromEntries(new URLSearchParams(comment?.body))).toEqual({
      api_type: 'json',
      thing_id: 't1_kq3x9z1',
      text: 'Yes, Android 10 and later.',
    });
    const { events } = await getJson<{ events: Array<{ id: string; kind: string }> }>(`${runtime.url}/api/events?limit=1000`);
    expect(events.find((event) => event.id === 'reddit:t4_2a7bxk9')?.kind).toBe('dm');
  });
});
