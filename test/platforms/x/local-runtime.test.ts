import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes, hmacBase64 } from '../../support/connector-harness.js';
import { getJson, makeWorkspace, type RuntimeProcess, startRuntimeProcess, waitFor } from '../../support/runtime-process.js';

const SECRET = 'e2e-x-consumer-secret';
const RULE = `
id: e2e-x-answer
description: Answer complaints about cold coffee
when:
  all:
    - { fact: text, operator: containsAny, value: ["flat white", "not good enough"] }
then:
  - reply:
      text:
        default: "@{{author.handle}} We are sorry, a fresh one is on us."
`;

interface RecordedAction {
  eventId: string;
  ruleId: string;
  status: string;
  mode?: string;
  request?: { method: string; url: string; body?: string };
}

describe('x through the local runtime (npm start)', () => {
  let runtime: RuntimeProcess;
  beforeAll(async () => {
    runtime = await startRuntimeProcess({
      ...makeWorkspace({ 'answer.yaml': RULE }),
      env: { FOGHORN_X_CONSUMER_SECRET: SECRET, FOGHORN_LOG_LEVEL: 'warn' },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('answers the CRC, refuses a wrong signature, and replies in the conversation to a signed mention but not to its own post', async () => {
    const crc = await getJson<{ response_token: string }>(`${runtime.url}/webhooks/x?crc_token=e2e-crc`);
    expect(crc.response_token).toBe(`sha256=${hmacBase64(SECRET, 'e2e-crc')}`);

    const body = fixtureBytes(new URL('./fixtures/tweet-create.json', import.meta.url));
    const post = (secret: string) =>
      fetch(`${runtime.url}/webhooks/x`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': `sha256=${hmacBase64(secret, body)}` },
      });
    expect((await post('wrong-secret')).status).toBe(401);
    expect((await post(SECRET)).status).toBe(200);

    const action = await waitFor('the reply to the mention', async () => {
      const { actions } = await getJson<{ actions: RecordedAction[] }>(`${runtime.url}/api/actions?limit=1000`);
      return actions.find((candidate) => candidate.eventId === 'x:1992164035913760768' && candidate.status === 'succeeded');
    });
    expect(action).toMatchObject({
      ruleId: 'e2e-x-answer',
      mode: 'sandbox',
      request: { method: 'POST', url: 'https://api.x.com/2/tweets' },
    });
    expect(JSON.parse(action.request?.body ?? '{}')).toEqual({
      text: '@jonas_e We are sorry, a fresh one is on us.',
      reply: { in_reply_to_tweet_id: '1992164035913760768' },
    });
    // The account's own reply also says "not good enough", but no rule answers the account itself.
    const { events } = await getJson<{ events: Array<{ id: string; author: { isSelf?: boolean } }> }>(
      `${runtime.url}/api/events?limit=1000`,
    );
    expect(events.find((event) => event.id === 'x:1992164128654016512')?.author.isSelf).toBe(true);
    const { actions } = await getJson<{ actions: RecordedAction[] }>(`${runtime.url}/api/actions?limit=1000`);
    expect(actions.filter((candidate) => candidate.eventId === 'x:1992164128654016512')).toEqual([]);
  });
});
