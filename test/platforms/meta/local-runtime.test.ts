import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes, hmacHex } from '../../support/connector-harness.js';
import { getJson, makeWorkspace, type RuntimeProcess, startRuntimeProcess, waitFor } from '../../support/runtime-process.js';

const SECRET = 'e2e-meta-app-secret';
const ANSWER_RULE = `
id: e2e-meta-answer
description: Answer the questions in the Meta fixtures
when:
  all:
    - { fact: text, operator: containsAny, value: ["open on sunday", "ship to norway", "another colour"] }
then:
  - reply:
      text:
        default: "Thanks for asking!"
`;

interface RecordedAction {
  eventId: string;
  ruleId: string;
  type: string;
  status: string;
  mode?: string;
  request?: { method: string; url: string; headers: Record<string, string>; body?: string };
}

describe('Meta platforms through the local runtime (npm start)', () => {
  let runtime: RuntimeProcess;
  beforeAll(async () => {
    runtime = await startRuntimeProcess({
      ...makeWorkspace({ 'answer.yaml': ANSWER_RULE }),
      env: { FOGHORN_META_APP_SECRET: SECRET, FOGHORN_META_VERIFY_TOKEN: 'e2e-verify', FOGHORN_LOG_LEVEL: 'warn' },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const post = (platform: string, body: Buffer, secret = SECRET) =>
    fetch(`${runtime.url}/webhooks/${platform}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${hmacHex(secret, body)}` },
    });
  const actionFor = (eventId: string) =>
    waitFor(`the action for ${eventId}`, async () => {
      const { actions } = await getJson<{ actions: RecordedAction[] }>(`${runtime.url}/api/actions?limit=1000`);
      return actions.find((action) => action.eventId === eventId && action.status === 'succeeded');
    });
  const eventsNow = async () =>
    (await getJson<{ events: Array<{ id: string; author: { isSelf?: boolean } }> }>(`${runtime.url}/api/events?limit=1000`)).events;

  it('facebook: handshake, 401 on a wrong signature, and a sandboxed comment reply for a signed feed delivery', async () => {
    const challenge = await fetch(`${runtime.url}/webhooks/facebook?hub.mode=subscribe&hub.verify_token=e2e-verify&hub.challenge=31337`);
    expect(await challenge.text()).toBe('31337');
    const body = fixtureBytes(new URL('../facebook/fixtures/feed-comments.json', import.meta.url));
    expect((await post('facebook', body, 'wrong-secret')).status).toBe(401);
    expect((await post('facebook', body)).status).toBe(200);

    const action = await actionFor('facebook:912837465019283_1029384756102938');
    expect(action).toMatchObject({ ruleId: 'e2e-meta-answer', type: 'reply', mode: 'sandbox' });
    expect(action.request?.method).toBe('POST');
    expect(action.request?.url).toBe('https://graph.facebook.com/v21.0/912837465019283_1029384756102938/comments');
    expect(JSON.parse(action.request?.body ?? '{}')).toEqual({ message: 'Thanks for asking!' });
    const events = await eventsNow();
    expect(events.find((event) => event.id === 'facebook:912837465019283_5647382910564738')?.author.isSelf).toBe(true);
  });

  it('instagram: a signed comment delivery becomes a sandboxed POST /{comment-id}/replies', async () => {
    const body = fixtureBytes(new URL('../instagram/fixtures/comments.json', import.meta.url));
    expect((await post('instagram', body)).status).toBe(200);
    const action = await actionFor('instagram:17865799348089039');
    expect(action.request?.url).toBe('https://graph.facebook.com/v21.0/17865799348089039/replies');
    expect(JSON.parse(action.request?.body ?? '{}')).toEqual({ message: 'Thanks for asking!' });
  });

  it('whatsapp: a signed message delivery becomes a sandboxed /{phone-number-id}/messages quoting the message', async () => {
    const body = fixtureBytes(new URL('../whatsapp/fixtures/messages.json', import.meta.url));
    expect((await post('whatsapp', body)).status).toBe(200);
    const wamid = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=';
    const action = await actionFor(`whatsapp:${wamid}`);
    expect(action.request?.url).toBe('https://graph.facebook.com/v21.0/106540352242922/messages');
    expect(JSON.parse(action.request?.body ?? '{}')).toMatchObject({
      to: '16505551234',
      context: { message_id: wamid },
      text: { body: 'Thanks for asking!' },
    });
  });
});
