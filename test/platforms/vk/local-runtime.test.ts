import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vkRandomId } from '../../../functions/platforms/vk/client.js';
import { getJson, makeWorkspace, type RuntimeProcess, startRuntimeProcess, waitFor } from '../../support/runtime-process.js';
import { CONFIRMATION, fixture, fixtureWith, SECRET } from './request.js';

const RULE = `
id: e2e-vk-answer
description: Answer about order 4411
when:
  all:
    - { fact: text, operator: containsAny, value: ["4411"] }
then:
  - reply:
      text:
        default: "Заказ 4411 уже в пути."
`;

interface RecordedAction {
  id: string;
  eventId: string;
  ruleId: string;
  status: string;
  mode?: string;
  request?: { method: string; url: string; body?: string };
}

describe('vk through the local runtime (npm start)', () => {
  let runtime: RuntimeProcess;
  beforeAll(async () => {
    runtime = await startRuntimeProcess({
      ...makeWorkspace({ 'answer.yaml': RULE }),
      env: {
        FOGHORN_VK_SECRET: SECRET,
        FOGHORN_VK_CONFIRMATION: CONFIRMATION,
        FOGHORN_VK_GROUP_ID: '183513233',
        FOGHORN_LOG_LEVEL: 'warn',
      },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('answers the confirmation, refuses a wrong secret, and answers a message with messages.send (sandboxed)', async () => {
    const post = (body: Buffer) =>
      fetch(`${runtime.url}/webhooks/vk`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(await (await post(fixture('confirmation.json'))).text()).toBe(CONFIRMATION);
    expect((await post(fixtureWith('message-new-dm.json', { secret: 'wrong-secret-value' }))).status).toBe(401);
    const accepted = await post(fixture('message-new-dm.json'));
    expect(await accepted.text()).toBe('ok');

    const action = await waitFor('the reply', async () => {
      const { actions } = await getJson<{ actions: RecordedAction[] }>(`${runtime.url}/api/actions?limit=1000`);
      return actions.find(
        (candidate) => candidate.eventId === 'vk:6a3d6d6a63fbc9e1c7d1e5c6a0f2f6b1d1a7e4c3' && candidate.status === 'succeeded',
      );
    });
    expect(action).toMatchObject({
      ruleId: 'e2e-vk-answer',
      mode: 'sandbox',
      request: { method: 'POST', url: 'https://api.vk.com/method/messages.send' },
    });
    const form = new URLSearchParams(action.request?.body);
    expect(form.get('peer_id')).toBe('12345678');
    expect(form.get('reply_to')).toBe('1042');
    expect(form.get('message')).toBe('Заказ 4411 уже в пути.');
    expect(form.get('random_id')).toBe(String(vkRandomId(action.id)));
    expect(form.get('v')).toBe('5.199');
  });
});
