import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../support/connector-harness.js';
import { getJson, makeWorkspace, type RuntimeProcess, startRuntimeProcess, waitFor } from '../../support/runtime-process.js';

const SECRET = 'e2e-telegram-secret';
const RULE = `
id: e2e-telegram-answer
description: Answer questions about Saturdays
when:
  all:
    - { fact: text, operator: containsAny, value: ["saturdays"] }
then:
  - reply:
      text:
        default: "Saturdays 9 to 17, {{author.name}}."
`;

interface RecordedAction {
  eventId: string;
  ruleId: string;
  status: string;
  mode?: string;
  request?: { method: string; url: string; body?: string };
}

describe('telegram through the local runtime (npm start)', () => {
  let runtime: RuntimeProcess;
  beforeAll(async () => {
    runtime = await startRuntimeProcess({
      ...makeWorkspace({ 'answer.yaml': RULE }),
      env: { FOGHORN_TELEGRAM_SECRET_TOKEN: SECRET, FOGHORN_LOG_LEVEL: 'warn' },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('refuses a wrong secret token and answers a signed update in its chat and topic, sandboxed', async () => {
    const body = fixtureBytes(new URL('./fixtures/group-reply.json', import.meta.url));
    const post = (secret: string) =>
      fetch(`${runtime.url}/webhooks/telegram`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      });
    expect((await post('wrong-secret')).status).toBe(401);
    expect((await post(SECRET)).status).toBe(200);

    const action = await waitFor('the reply', async () => {
      const { actions } = await getJson<{ actions: RecordedAction[] }>(`${runtime.url}/api/actions?limit=1000`);
      return actions.find((candidate) => candidate.eventId === 'telegram:912384756' && candidate.status === 'succeeded');
    });
    expect(action).toMatchObject({ ruleId: 'e2e-telegram-answer', mode: 'sandbox', request: { method: 'POST' } });
    expect(action.request?.url).toBe('https://api.telegram.org/bot<FOGHORN_TELEGRAM_BOT_TOKEN>/sendMessage');
    expect(JSON.parse(action.request?.body ?? '{}')).toEqual({
      chat_id: -1001928374650,
      text: 'Saturdays 9 to 17, Aino Virtanen.',
      message_thread_id: 5400,
      reply_parameters: { message_id: 5521, allow_sending_without_reply: true },
    });
    const { events } = await getJson<{ events: Array<{ id: string; kind: string }> }>(`${runtime.url}/api/events?limit=1000`);
    expect(events.find((event) => event.id === 'telegram:912384756')?.kind).toBe('message');
  });
});
