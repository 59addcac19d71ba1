import { describe, expect, it } from 'vitest';
import { NormaliseError } from '../../../functions/core/errors.js';
import { canonicalEventSchema } from '../../../functions/core/event.js';
import { redditThingToEvent } from '../../../functions/platforms/reddit/normalise.js';
import { fixtureJson, NOW } from './support.js';

const inbox = fixtureJson<{ data: { children: unknown[] } }>('inbox.json').data.children;
const mentions = fixtureJson<{ data: { children: unknown[] } }>('mentions.json').data.children;

describe('reddit normalise', () => {
  it('turns a comment reply into a reply event whose id is the fullname', () => {
    const event = redditThingToEvent(inbox[1]!, 'inbox', 'foghorn_support', NOW);
    expect(canonicalEventSchema.parse(event)).toBeTruthy();
    expect(event).toEqual({
      id: 'reddit:t1_kq3x9z1',
      platform: 'reddit',
      kind: 'reply',
      text: 'Does this work on Android?',
      author: { id: 't2_3kd9s', handle: 'curious_user', isSelf: false },
      channel: { id: 'r/foghorn_test', name: 'r/foghorn_test' },
      thread: { id: 't3_17abcde', replyToId: 't1_kq3w000' },
      createdAt: '2023-11-14T22:16:40.000Z',
      receivedAt: '2023-11-14T22:30:00.000Z',
      url: 'https://www.reddit.com/r/foghorn_test/comments/17abcde/foghorn_10_released/kq3x9z1/?context=3',
      sentByFoghorn: false,
      meta: { fullname: 't1_kq3x9z1', source: 'inbox', type: 'comment_reply', subject: 'comment reply', linkTitle: 'Foghorn 1.0 released' },
    });
  });

  it('turns a private message into a dm with its subject in the text', () => {
    const event = redditThingToEvent(inbox[0]!, 'inbox', 'foghorn_support', NOW);
    expect(event).toMatchObject({
      id: 'reddit:t4_2a7bxk9',
      kind: 'dm',
      text: 'Charged twice\nHi, my card was charged twice for order 4411.',
      author: { id: 't2_8xq2k1', handle: 'worried_customer', isSelf: false },
      channel: { id: 'messages' },
      thread: { id: 't4_2a7bxk9' },
    });
    expect(event.url).toBeUndefined();
  });

  it('calls a username mention a mention, and marks the account itself isSelf whatever the case', () => {
    expect(redditThingToEvent(mentions[0]!, 'mentions', 'foghorn_support', NOW)).toMatchObject({
      kind: 'mention',
      author: { isSelf: false },
    });
    expect(redditThingToEvent(mentions[1]!, 'mentions', 'foghorn_support', NOW).author).toEqual({
      id: 't2_fogh0',
      handle: 'Foghorn_Support',
      isSelf: true,
    });
  });

  it('names the missing field of an item it cannot read', () => {
    expect(() => redditThingToEvent({ kind: 't1', data: { name: 't1_x' } }, 'inbox', undefined, NOW)).toThrow(NormaliseError);
    expect(() => redditThingToEvent({ kind: 't1', data: { name: 't1_x' } }, 'inbox', undefined, NOW)).toThrow(/created_utc/);
  });
});

describe('reddit normalise: empty ids and times out of range', () => {
  const withData = (changes: Record<string, unknown>) => {
    const item = structuredClone(inbox[1]) as { data: Record<string, unknown> };
    Object.assign(item.data, changes);
    return item;
  };

  it.each(['author_fullname', 'author', 'subreddit_name_prefixed'])('refuses an empty `%s`, naming it', (field) => {
    expect(() => redditThingToEvent(withData({ [field]: '' }), 'inbox', 'foghorn_support', NOW)).toThrow(
      new NormaliseError(`\`data.${field}\` is empty`, { path: `data.${field}` }),
    );
  });

  it('refuses a created_utc after year 9999 or before year 0, naming it, and keeps the years between', () => {
    for (const seconds of [253_402_300_800, -62_167_219_201]) {
      expect(() => redditThingToEvent(withData({ created_utc: seconds }), 'inbox', undefined, NOW)).toThrow(
        '`data.created_utc` is not a usable time (years 0 to 9999)',
      );
    }
    const first = redditThingToEvent(withData({ created_utc: -62_167_219_200 }), 'inbox', undefined, NOW);
    expect(canonicalEventSchema.parse(first).createdAt).toBe('0000-01-01T00:00:00.000Z');
  });
});
