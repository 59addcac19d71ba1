import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionCommand, actionCommandId } from '../../../functions/core/action-command.js';
import { PermanentActionError, TransientActionError } from '../../../functions/core/errors.js';
import type { CanonicalEvent } from '../../../functions/core/event.js';
import { vkRandomId } from '../../../functions/platforms/vk/client.js';
import { vkConnector } from '../../../functions/platforms/vk/index.js';
import { type FakePlatformApi, sendOutbound, startFakePlatformApi } from '../../support/fake-platform-api.js';
import { context, fixture, vkDelivery } from './request.js';

function eventFrom(name: string): CanonicalEvent {
  const [event] = vkConnector.normalise(vkDelivery(fixture(name)), context()).events;
  if (!event) throw new Error(`fixture ${name} gave no event`);
  return event;
}

function command(event: CanonicalEvent, type: string, params: Record<string, unknown>, ruleId = 'faq'): ActionCommand {
  return {
    id: actionCommandId(event.id, ruleId, 0),
    eventId: event.id,
    ruleId,
    index: 0,
    type,
    params,
    event,
    createdAt: '2023-11-14T22:20:00.000Z',
  };
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('vk outbound', () => {
  let api: FakePlatformApi;
  beforeAll(async () => {
    api = await startFakePlatformApi();
  });
  afterAll(async () => {
    await api.close();
  });
  const live = () => context({ FOGHORN_VK_TOKEN: 'vk1.a.community-token', FOGHORN_VK_API_URL: `${api.url}/method` });

  it('answers a dm with messages.send: form-encoded, reply_to, random_id from the command id, v and token', async () => {
    api.answer(() => ({ status: 200, body: { response: 1043 } }));
    const cmd = command(eventFrom('message-new-dm.json'), 'reply', { text: 'Заказ 4411 уже в пути.' });
    const response = await sendOutbound(vkConnector.buildRequest(cmd, live()));
    const received = api.received.at(-1);
    expect(received?.method).toBe('POST');
    expect(received?.url).toBe('/method/messages.send');
    expect(received?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(received?.body);
    expect(Object.fromEntries(form)).toEqual({
      peer_id: '12345678',
      random_id: String(vkRandomId(cmd.id)),
      message: 'Заказ 4411 уже в пути.',
      reply_to: '1042',
      access_token: 'vk1.a.community-token',
      v: '5.199',
    });
    expect(vkConnector.interpretResponse(response, cmd, live())).toEqual({ externalId: '1043' });
  });

  it('derives random_id deterministically: a 32-bit positive integer, the same for the same command, different for another', () => {
    const event = eventFrom('message-new-dm.json');
    const id = vkRandomId(command(event, 'reply', {}).id);
    expect(Number.isInteger(id) && id > 0 && id <= 0x7fffffff).toBe(true);
    expect(vkRandomId(command(event, 'reply', {}).id)).toBe(id);
    expect(vkRandomId(command(event, 'reply', {}, 'other-rule').id)).not.toBe(id);
  });

  it('answers in a group chat by forward with is_reply (the community sees only conversation_message_id)', () => {
    const request = vkConnector.buildRequest(command(eventFrom('message-new-chat.json'), 'reply', { text: 'ok' }), live());
    const form = new URLSearchParams(request.body);
    expect(form.get('peer_id')).toBe('2000000003');
    expect(form.has('reply_to')).toBe(false);
    expect(JSON.parse(form.get('forward') ?? '{}')).toEqual({ peer_id: 2000000003, conversation_message_ids: [88], is_reply: true });
  });

  it('answers a wall comment with wall.createComment under the same post, as the community', async () => {
    api.answer(() => ({ status: 200, body: { response: { comment_id: 4393, parents_stack: [4390] } } }));
    const cmd = command(eventFrom('wall-reply-new.json'), 'reply', { text: 'Напишите нам в личные сообщения' });
    const response = await sendOutbound(vkConnector.buildRequest(cmd, live()));
    const received = api.received.at(-1);
    expect(received?.url).toBe('/method/wall.createComment');
    expect(Object.fromEntries(new URLSearchParams(received?.body))).toEqual({
      owner_id: '-183513233',
      post_id: '120',
      reply_to_comment: '4391',
      message: 'Напишите нам в личные сообщения',
      from_group: '183513233',
      guid: cmd.id,
      access_token: 'vk1.a.community-token',
      v: '5.199',
    });
    expect(vkConnector.interpretResponse(response, cmd, live())).toEqual({ externalId: '4393' });
  });

  it('posts to params.channel or FOGHORN_VK_DEFAULT_PEER_ID, with a token placeholder in sandbox', () => {
    const event = eventFrom('message-new-dm.json');
    const sandbox = vkConnector.buildRequest(command(event, 'post', { text: 'news', channel: 2000000001 }), context());
    expect(sandbox.url).toBe('https://api.vk.com/method/messages.send');
    expect(new URLSearchParams(sandbox.body).get('peer_id')).toBe('2000000001');
    expect(new URLSearchParams(sandbox.body).get('access_token')).toBe('<FOGHORN_VK_TOKEN>');
    expect(
      new URLSearchParams(
        vkConnector.buildRequest(command(event, 'post', { text: 'x' }), context({ FOGHORN_VK_DEFAULT_PEER_ID: '777' })).body,
      ).get('peer_id'),
    ).toBe('777');
    expect(() => vkConnector.buildRequest(command(event, 'post', { text: 'x' }), context())).toThrow(/FOGHORN_VK_DEFAULT_PEER_ID/);
  });

  it('retries error 6 (too many requests per second) and 9 (flood control) later', async () => {
    api.answer(() => ({
      status: 200,
      body: {
        error: {
          error_code: 6,
          error_msg: 'Too many requests per second',
          request_params: [{ key: 'access_token', value: 'vk1.a.community-token' }],
        },
      },
    }));
    const cmd = command(eventFrom('message-new-dm.json'), 'reply', { text: 'x' });
    const response = await sendOutbound(vkConnector.buildRequest(cmd, live()));
    const tooMany = thrown(() => vkConnector.interpretResponse(response, cmd, live()));
    expect(tooMany).toBeInstanceOf(TransientActionError);
    expect((tooMany as TransientActionError).retryAfterMs).toBe(1000);
    expect(JSON.stringify((tooMany as TransientActionError).detail)).not.toContain('community-token');
    const flood = { status: 200, headers: {}, body: JSON.stringify({ error: { error_code: 9, error_msg: 'Flood control' } }) };
    expect((thrown(() => vkConnector.interpretResponse(flood, cmd, live())) as TransientActionError).retryAfterMs).toBe(60_000);
  });

  // https://dev.vk.com/ru/reference/errors: 29 "Rate limit reached" (a method's quota), lifted later like 6 and 9.
  it('retries error 29 (rate limit reached) later instead of failing the reply for good', async () => {
    api.answer(() => ({ status: 200, body: { error: { error_code: 29, error_msg: 'Rate limit reached' } } }));
    const cmd = command(eventFrom('message-new-dm.json'), 'reply', { text: 'x' });
    const response = await sendOutbound(vkConnector.buildRequest(cmd, live()));
    const limited = thrown(() => vkConnector.interpretResponse(response, cmd, live()));
    expect(limited).toBeInstanceOf(TransientActionError);
    expect(limited).not.toBeInstanceOf(PermanentActionError);
    expect((limited as Error).message).toBe('vk error 29: Rate limit reached');
    expect((limited as TransientActionError).retryAfterMs).toBeGreaterThanOrEqual(60_000);
  });

  it("makes error 15 (access denied) permanent with VK's own text", async () => {
    api.answer(() => ({ status: 200, body: { error: { error_code: 15, error_msg: 'Access denied: no access to call this method' } } }));
    const cmd = command(eventFrom('wall-reply-new.json'), 'reply', { text: 'x' });
    const response = await sendOutbound(vkConnector.buildRequest(cmd, live()));
    const error = thrown(() => vkConnector.interpretResponse(response, cmd, live()));
    expect(error).toBeInstanceOf(PermanentActionError);
    expect((error as Error).message).toBe('vk error 15: Access denied: no access to call this method');
    expect((error as Error).message).not.toContain('community-token');
  });
});
