import { describe, expect, it } from 'vitest';
import { BadRequestError, NormaliseError } from '../../../functions/core/errors.js';
import { canonicalEventSchema } from '../../../functions/core/event.js';
import { discordConnector } from '../../../functions/platforms/discord/index.js';
import { context, discordDelivery, fixture } from './request.js';

const normalise = (name: string, settings: Record<string, string> = {}) =>
  discordConnector.normalise(discordDelivery(fixture(name)), context(settings));

describe('discord normalise', () => {
  it('turns a slash command into a mention and answers with a deferred response (type 5)', () => {
    const { events, response } = normalise('slash-command.json');
    expect(response).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: { type: 5 } });
    expect(events).toHaveLength(1);
    expect(canonicalEventSchema.parse(events[0])).toBeTruthy();
    expect(events[0]).toEqual({
      id: 'discord:1180234567890123456',
      platform: 'discord',
      kind: 'mention',
      text: '/ask how do I reset my password?',
      author: { id: '80351110224678912', handle: 'mina', name: 'Mina Park', isSelf: false },
      channel: { id: '1167000000000000100', name: 'support' },
      thread: {},
      createdAt: '2023-12-01T19:50:48.682Z',
      receivedAt: '2023-12-01T19:50:49.000Z',
      sentByFoghorn: false,
      meta: {
        interactionType: 'application_command',
        applicationId: '1167890123456789012',
        interactionToken: 'aW50ZXJhY3Rpb246MTE4MDIzNDU2Nzg5MDEyMzQ1Njp0ZXN0dG9rZW4',
        guildId: '1167000000000000001',
        command: 'ask',
        options: { question: 'how do I reset my password?' },
        locale: 'en-GB',
      },
    });
  });

  it('calls a command outside a server a dm and flattens subcommands into the text', () => {
    const [event] = normalise('dm-command.json').events;
    expect(event).toMatchObject({
      kind: 'dm',
      text: '/status order 4411',
      author: { id: '80351110224678913', handle: 'joao', name: 'joao' },
      channel: { id: '1170000000000000555', direct: true },
      meta: { command: 'status', options: { order: { number: 4411 } } },
    });
    expect(normalise('slash-command.json').events[0]?.channel.direct).toBeUndefined();
  });

  it('turns a button click into an event replying to the clicked message, with the member nickname', () => {
    const { events, response } = normalise('button-click.json');
    expect(response?.body).toEqual({ type: 5 });
    expect(events[0]).toMatchObject({
      id: 'discord:1180234567890125555',
      kind: 'other',
      text: 'escalate',
      author: { id: '80351110224678912', name: 'Mina (support)', isSelf: false },
      thread: { replyToId: '1180234567890124444' },
      meta: { interactionType: 'message_component', customId: 'escalate' },
    });
  });

  it('reads a message command as the target message, replying to it', () => {
    const [event] = normalise('message-command.json').events;
    expect(event).toMatchObject({
      kind: 'mention',
      text: 'my invoice shows the wrong VAT number',
      thread: { replyToId: '1180234567000000042' },
      meta: { command: 'Ask Foghorn' },
    });
  });

  it("reads a modal submit's inputs as its text", () => {
    const { events, response } = normalise('modal-submit.json');
    expect(response?.body).toEqual({ type: 5 });
    expect(events[0]).toMatchObject({
      kind: 'mention',
      text: 'Export to CSV fails\nSince the update, the button does nothing.',
      meta: { interactionType: 'modal_submit', customId: 'feedback' },
    });
  });

  it("marks the application itself isSelf (FOGHORN_DISCORD_APPLICATION_ID, else the interaction's application_id)", () => {
    expect(normalise('slash-command.json', { FOGHORN_DISCORD_APPLICATION_ID: '80351110224678912' }).events[0]?.author.isSelf).toBe(true);
  });

  it('answers autocomplete with no choices and no event', () => {
    expect(normalise('autocomplete.json')).toEqual({
      events: [],
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: { type: 8, data: { choices: [] } } },
    });
  });

  it('says what is wrong with a body that is not JSON or has no user', () => {
    expect(() => discordConnector.normalise(discordDelivery(Buffer.from('nope')), context())).toThrow(BadRequestError);
    const noUser = JSON.parse(fixture('slash-command.json').toString()) as Record<string, unknown>;
    delete noUser.member;
    expect(() => discordConnector.normalise(discordDelivery(Buffer.from(JSON.stringify(noUser))), context())).toThrow(/member.user/);
    expect(() => discordConnector.normalise(discordDelivery(Buffer.from('{"type":2}')), context())).toThrow(NormaliseError);
  });
});
