import { describe, expect, it } from 'vitest';
import { NormaliseError, SignatureError } from '../../../functions/core/errors.js';
import { canonicalEventSchema } from '../../../functions/core/event.js';
import { vkConnector } from '../../../functions/platforms/vk/index.js';
import { context, fixture, fixtureWith, vkDelivery } from './request.js';

const OK = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
const normalise = (raw: Buffer, settings: Record<string, string> = {}) => vkConnector.normalise(vkDelivery(raw), context(settings));

describe('vk normalise', () => {
  it('turns message_new in a private dialogue into a dm and answers ok', () => {
    const { events, response } = normalise(fixture('message-new-dm.json'));
    expect(response).toEqual(OK);
    expect(canonicalEventSchema.parse(events[0])).toBeTruthy();
    expect(events[0]).toEqual({
      id: 'vk:6a3d6d6a63fbc9e1c7d1e5c6a0f2f6b1d1a7e4c3',
      platform: 'vk',
      kind: 'dm',
      text: 'Здравствуйте! Где мой заказ 4411?',
      author: { id: '12345678', isSelf: false },
      channel: { id: '12345678', direct: true },
      thread: { id: '12345678' },
      createdAt: '2023-11-14T22:13:20.000Z',
      receivedAt: '2023-11-14T22:13:21.000Z',
      sentByFoghorn: false,
      meta: { type: 'message_new', peerId: 12345678, messageId: 1042, conversationMessageId: 517, groupId: 183513233 },
    });
  });

  it('reads a group-chat message: forwarded text and photo caption included, reply-to from reply_message', () => {
    const [event] = normalise(fixture('message-new-chat.json')).events;
    expect(event).toMatchObject({
      kind: 'message',
      text: 'Тоже самое у меня\nоплата не прошла\nscreenshot of the error',
      author: { id: '23456789', isSelf: false },
      channel: { id: '2000000003' },
      thread: { id: '2000000003', replyToId: '86' },
      meta: { peerId: 2000000003, messageId: 0, conversationMessageId: 88 },
    });
  });

  it('turns wall_reply_new into a reply under the post, with a link', () => {
    const [event] = normalise(fixture('wall-reply-new.json')).events;
    expect(event).toMatchObject({
      id: 'vk:9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b',
      kind: 'reply',
      text: '[id34567890|Иван], та же проблема',
      author: { id: '23456789', isSelf: false },
      channel: { id: '-183513233' },
      thread: { id: '-183513233_120', replyToId: '4390' },
      createdAt: '2023-11-14T22:21:40.000Z',
      url: 'https://vk.com/wall-183513233_120?reply=4391',
      meta: { postOwnerId: -183513233, postId: 120, commentId: 4391, parentsStack: [4390] },
    });
  });

  it("marks the community's own comment isSelf, and a top-level comment kind comment", () => {
    const [event] = normalise(fixture('wall-reply-own.json')).events;
    expect(event).toMatchObject({ kind: 'comment', author: { id: '-183513233', isSelf: true } });
    expect(event?.thread.replyToId).toBeUndefined();
  });

  it("marks the community's outgoing message (message_reply) isSelf, and sentByFoghorn unless an admin wrote it by hand", () => {
    const [sent] = normalise(fixture('message-reply.json')).events;
    expect(sent).toMatchObject({
      kind: 'dm',
      author: { id: '-183513233', isSelf: true },
      sentByFoghorn: true,
      meta: { type: 'message_reply', messageId: 1043 },
    });
    const byHand = JSON.parse(fixture('message-reply.json').toString()) as { object: Record<string, unknown> };
    byHand.object.admin_author_id = 98765;
    expect(normalise(Buffer.from(JSON.stringify(byHand))).events[0]).toMatchObject({ author: { isSelf: true }, sentByFoghorn: false });
  });

  it('derives a stable id from group and object ids when event_id is absent', () => {
    const first = normalise(fixtureWith('wall-reply-new.json', { event_id: undefined })).events[0];
    const again = normalise(fixtureWith('wall-reply-new.json', { event_id: undefined })).events[0];
    expect(first?.id).toBe('vk:183513233_wall_reply_new_-183513233_4391');
    expect(again?.id).toBe(first?.id);
  });

  it('answers ok with no event for notifications it does not turn into events', () => {
    expect(normalise(fixture('group-join.json'))).toEqual({ events: [], response: OK });
  });

  it('names the missing field of a malformed message_new', () => {
    const broken = fixtureWith('message-new-dm.json', { object: { message: { text: 'hi' } } });
    expect(() => normalise(broken)).toThrow(NormaliseError);
    expect(() => normalise(broken)).toThrow(/object\.message\.peer_id/);
  });
});

describe('vk: a notification for another community', () => {
  it('names the payload field `group_id` and the setting it was compared with, never the setting value', () => {
    const other = vkDelivery(fixtureWith('message-new-dm.json', { group_id: 1 }));
    expect(() => vkConnector.verify(other, context())).toThrow(
      new SignatureError('`group_id` is 1, not the community set in FOGHORN_VK_GROUP_ID', { path: 'group_id' }),
    );
    const missing = vkDelivery(fixtureWith('message-new-dm.json', { group_id: undefined }));
    expect(() => vkConnector.verify(missing, context())).toThrow('`group_id` is missing, not the community set in FOGHORN_VK_GROUP_ID');
  });

  it('refuses a group_id that is an object (whose String() would throw) with a 401, not a crash', () => {
    const odd = vkDelivery(fixtureWith('message-new-dm.json', { group_id: { toString: {} } }));
    expect(() => vkConnector.verify(odd, context())).toThrow(SignatureError);
  });
});
