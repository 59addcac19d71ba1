import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlack } from '../../../functions/platforms/slack/verify.js';
import { getJson, makeWorkspace, type RuntimeProcess, startRuntimeProcess, waitFor } from '../../support/runtime-process.js';
import { fixture, SIGNING_SECRET } from './request.js';

const RULE = `
id: e2e-slack-answer
description: Answer the hour of the pearl
when:
  all:
    - { fact: text, operator: containsAny, value: ["hour of the pearl"] }
then:
  - reply:
      text:
        default: "The hour of the pearl is noon."
`;

interface RecordedAction {
  eventId: string;
  ruleId: string;
  status: string;
  mode?: string;
  request?: { method: string; url: string; body?: string };
}

describe('slack through the local runtime (npm start)', () => {
  let runtime: RuntimeProcess;
  beforeAll(async () => {
    runtime = await startRuntimeProcess({
      ...makeWorkspace({ 'answer.yaml': RULE }),
      env: { FOGHORN_SLACK_SIGNING_SECRET: SIGNING_SECRET, FOGHORN_LOG_LEVEL: 'warn' },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('answers url_verification, refuses a wrong signature, and replies in the thread of a signed mention (sandboxed)', async () => {
    const post = (body: Buffer, signature?: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      return fetch(`${runtime.url}/webhooks/slack`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signature ?? signSlack(SIGNING_SECRET, timestamp, body),
        },
      });
    };
    const challenge = await post(fixture('url-verification.json'));
    expect(await challenge.text()).toBe('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    expect((await post(fixture('app-mention.json'), `v0=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await post(fixture('app-mention.json'))).status).toBe(200);

    const action = await waitFor('the reply', async () => {
      const { actions } = await getJson<{ actions: RecordedAction[] }>(`${runtime.url}/api/actions?limit=1000`);
      return actions.find((candidate) => candidate.eventId === 'slack:Ev123ABC456' && candidate.status === 'succeeded');
    });
    expect(action).toMatchObject({
      ruleId: 'e2e-slack-answer',
      mode: 'sandbox',
      request: { method: 'POST', url: 'https://slack.com/api/chat.postMessage' },
    });
    expect(JSON.parse(action.request?.body ?? '{}')).toMatchObject({
      channel: 'C123ABC456',
      thread_ts: '1515449522.000016',
      text: 'The hour of the pearl is noon.',
    });
    const { events } = await getJson<{ events: Array<{ id: string; kind: string }> }>(`${runtime.url}/api/events?limit=1000`);
    expect(events.find((event) => event.id === 'slack:Ev123ABC456')?.kind).toBe('mention');
  });
});
