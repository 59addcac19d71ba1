import { describe, expect, it } from 'vitest';
import { BadRequestError, NormaliseError } from '../../../functions/core/errors.js';
import { canonicalEventSchema } from '../../../functions/core/event.js';
import { slackConnector } from '../../../functions/platforms/slack/index.js';
import { context, fixture, slackDelivery } from './request.js';

function normalise(name: string, settings: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return slackConnector.normalise(slackDelivery(fixture(name), headers), context(settings));
}

describe('slack normalise', () => {
  it('turns an app_mention into a mention whose id is the event_id', () => {
    const { events } = normalise('app-mention.json');
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(canonicalEventSchema.parse(event)).toBeTruthy();
    expect(event).toMatchObject({
      id: 'slack:Ev123ABC456',
      platform: 'slack',
      kind: 'mention',
      text: 'What is the hour of the pearl, <@U0LAN0Z89>?',
      author: { id: 'U123ABC456', isSelf: false },
      channel: { id: 'C123ABC456' },
      thread: { id: '1515449522.000016' },
      createdAt: '2018-01-08T22:12:02.000Z',
      receivedAt: '2023-11-14T22:16:51.000Z',
      sentByFoghorn: false,
      meta: { eventType: 'app_mention', ts: '1515449522.000016', teamId: 'T123ABC456' },
    });
    expect(event?.thread.replyToId).toBeUndefined();
  });

  it('gives a redelivery (X-Slack-Retry-Num) the same id', () => {
    const first = normalise('app-mention.json').events[0];
    const retry = normalise('app-mention.json', {}, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }).events[0];
    expect(retry?.id).toBe(first?.id);
    expect(retry?.meta?.retryNum).toBe('1');
  });

  it('reads a thread reply: author profile, thread root, reply-to and quoted attachment text', () => {
    const [event] = normalise('message-thread-reply.json').events;
    expect(event).toMatchObject({
      id: 'slack:Ev08MFMKH6',
      kind: 'reply',
      text: 'Still waiting on my refund, order 4411\nOrder 4411: shipped',
      author: { id: 'U061F7AUR', handle: 'ana.souza', name: 'Ana', isSelf: false },
      channel: { id: 'C2147483705' },
      thread: { id: '1700000000.000100', replyToId: '1700000000.000100' },
      createdAt: '2023-11-14T22:15:00.000Z',
      meta: { ts: '1700000100.000200', threadTs: '1700000000.000100', channelType: 'channel' },
    });
  });

  it('calls a direct message a dm, in a direct channel (a thread reply in a channel is in none)', () => {
    const [event] = normalise('message-im.json').events;
    expect(event).toMatchObject({ kind: 'dm', channel: { id: 'D024BE91L', direct: true }, author: { id: 'U2147483697', isSelf: false } });
    expect(normalise('message-thread-reply.json').events[0]?.channel.direct).toBeUndefined();
  });

  it("marks the bot's own message isSelf and sentByFoghorn (bot user from authorizations, app id from the envelope)", () => {
    const [event] = normalise('message-from-own-bot.json').events;
    expect(event).toMatchObject({ author: { id: 'U0LAN0Z89', name: 'foghorn', isSelf: true }, sentByFoghorn: true });
  });

  it('uses FOGHORN_SLACK_BOT_USER_ID for isSelf when set', () => {
    const [event] = normalise('message-thread-reply.json', { FOGHORN_SLACK_BOT_USER_ID: 'U061F7AUR' }).events;
    expect(event?.author.isSelf).toBe(true);
    expect(event?.sentByFoghorn).toBe(false);
  });

  it('turns an edit that changes the text into an event on the edited message, and ignores an unfurl (same text)', () => {
    const [edit] = normalise('message-changed.json').events;
    expect(edit).toMatchObject({
      id: 'slack:Ev08EDIT001',
      kind: 'message',
      text: 'Still waiting on my refund for order 4411, any news?',
      author: { id: 'U061F7AUR' },
      channel: { id: 'C2147483705' },
      meta: { ts: '1700000100.000200', subtype: 'message_changed', edited: true },
    });
    const unfurl = JSON.parse(fixture('message-changed.json').toString()) as { event: { previous_message: { text: string } } };
    unfurl.event.previous_message.text = 'Still waiting on my refund for order 4411, any news?';
    expect(slackConnector.normalise(slackDelivery(Buffer.from(JSON.stringify(unfurl))), context())).toEqual({ events: [] });
  });

  it('acknowledges a channel join without an event', () => {
    expect(normalise('message-channel-join.json')).toEqual({ events: [] });
  });

  it('says what is wrong with a body that is not JSON, or an event_callback without event_id', () => {
    const notJson = slackDelivery(Buffer.from('token=abc&ssl_check=1'));
    expect(() => slackConnector.normalise(notJson, context())).toThrow(BadRequestError);
    const noId = JSON.parse(fixture('app-mention.json').toString('utf8')) as Record<string, unknown>;
    delete noId.event_id;
    expect(() => slackConnector.normalise(slackDelivery(Buffer.from(JSON.stringify(noId))), context())).toThrow(NormaliseError);
  });
});

describe('slack normalise: empty ids', () => {
  function withEvent(name: string, changes: Record<string, unknown>): Buffer {
    const body = JSON.parse(fixture(name).toString('utf8')) as { event: Record<string, unknown> };
    Object.assign(body.event, changes);
    return Buffer.from(JSON.stringify(body));
  }

  it('refuses an empty `user` or `bot_id` with a 422 naming the payload field, not the canonical author id', () => {
    const read = (body: Buffer) => slackConnector.normalise(slackDelivery(body), context());
    expect(() => read(withEvent('app-mention.json', { user: '' }))).toThrow(
      new NormaliseError('`event.user` is empty', { path: 'event.user' }),
    );
    expect(() => read(withEvent('message-from-own-bot.json', { user: undefined, bot_id: '' }))).toThrow('`event.bot_id` is empty');
    const refused = (() => {
      try {
        read(withEvent('app-mention.json', { user: '' }));
      } catch (error) {
        return error as NormaliseError;
      }
      return undefined;
    })();
    expect(refused?.status).toBe(422);
    expect(refused?.detail).toEqual({ path: 'event.user' });
  });
});
