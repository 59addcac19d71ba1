import { describe, expect, it } from 'vitest';
import { NormaliseError } from '../../../functions/core/errors.js';
import { canonicalEventSchema } from '../../../functions/core/event.js';
import { xConnector } from '../../../functions/platforms/x/index.js';
import { contextWith, fixtureBytes, normalisedBy } from '../../support/connector-harness.js';

type Json = Record<string, unknown>;
const read = normalisedBy(xConnector, contextWith({}));
const tweets = JSON.parse(fixtureBytes(new URL('./fixtures/tweet-create.json', import.meta.url)).toString()) as {
  tweet_create_events: Json[];
};
const dms = JSON.parse(fixtureBytes(new URL('./fixtures/direct-messages.json', import.meta.url)).toString()) as {
  direct_message_events: { message_create: Json }[];
};

function body(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function withFirstTweet(changes: Json) {
  const copy = structuredClone(tweets);
  Object.assign(copy.tweet_create_events[0]!, changes);
  return body(copy);
}

describe('x normalise: payload strings checked where they are read', () => {
  it('refuses an empty DM sender_id with a 422 naming it, rather than an event the ingest quarantines for its author id', () => {
    const copy = structuredClone(dms);
    copy.direct_message_events[0]!.message_create.sender_id = '';
    expect(() => read(body(copy))).toThrow(NormaliseError);
    expect(() => read(body(copy))).toThrow(/direct_message_events\.0\.message_create\.sender_id: Too small/);
  });

  it('refuses an empty for_user_id and an empty user.id_str, naming them', () => {
    expect(() => read(body({ ...tweets, for_user_id: '' }))).toThrow(/delivery\.for_user_id: Too small/);
    const user = { ...(tweets.tweet_create_events[0]!.user as Json), id_str: '' };
    expect(() => read(withFirstTweet({ user }))).toThrow(/tweet_create_events\.0\.user\.id_str: Too small/);
  });

  it('keeps a language tag, and drops a one-letter, over-long or malformed lang instead of refusing the Tweet', () => {
    const langOf = (lang: unknown) => canonicalEventSchema.parse(read(withFirstTweet({ lang }))?.[0]).lang;
    expect(langOf('en')).toBe('en');
    expect(langOf('pt-BR')).toBe('pt-BR');
    expect(langOf('und')).toBeUndefined();
    expect(langOf(null)).toBeUndefined();
    for (const odd of ['e', '', 'x'.repeat(17), 'en US', '-en']) expect(langOf(odd)).toBeUndefined();
  });

  it('refuses a timestamp_ms after year 9999, naming the field', () => {
    expect(() => read(withFirstTweet({ timestamp_ms: '253402300800000' }))).toThrow(
      '`tweet_create_events.0.timestamp_ms` is not a usable time (years 0 to 9999)',
    );
  });
});
