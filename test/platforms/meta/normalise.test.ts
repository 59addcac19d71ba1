import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Connector } from '../../../functions/core/connector.js';
import { NormaliseError } from '../../../functions/core/errors.js';
import { canonicalEventSchema } from '../../../functions/core/event.js';
import { facebookConnector } from '../../../functions/platforms/facebook/index.js';
import { instagramConnector } from '../../../functions/platforms/instagram/index.js';
import { whatsappConnector } from '../../../functions/platforms/whatsapp/index.js';
import { contextWith, normalisedBy } from '../../support/connector-harness.js';

type Json = Record<string, unknown>;

function fixture(platform: string, name: string): Json {
  return JSON.parse(readFixture(platform, name)) as Json;
}

function readFixture(platform: string, name: string): string {
  return readFileSync(new URL(`../${platform}/fixtures/${name}`, import.meta.url), 'utf8');
}

/** The fixture with the value at a dotted path replaced. */
function changed(body: Json, path: string, value: unknown): Buffer {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
  return Buffer.from(JSON.stringify(copy));
}

/** The 422 a connector answers for `body`, which must name `path`. */
function refusal(connector: Connector, body: Buffer): NormaliseError {
  try {
    normalisedBy(connector, contextWith({}))(body);
  } catch (error) {
    expect(error).toBeInstanceOf(NormaliseError);
    return error as NormaliseError;
  }
  throw new Error('the delivery was accepted');
}

function events(connector: Connector, body: Buffer) {
  return (normalisedBy(connector, contextWith({}))(body) ?? []).map((event) => canonicalEventSchema.parse(event));
}

const messenger = fixture('facebook', 'messenger.json');
const feed = fixture('facebook', 'feed-comments.json');
const comments = fixture('instagram', 'comments.json');
const whatsapp = fixture('whatsapp', 'messages.json');

describe('meta normalise: times name their field', () => {
  it('names the messaging timestamp that is not a Unix time', () => {
    const error = refusal(facebookConnector, changed(messenger, 'entry.0.messaging.0.timestamp', 'soon'));
    expect(error.message).toBe('`entry.0.messaging.0.timestamp` is not a Unix time: "soon"');
    expect(error.detail).toEqual({ path: 'entry.0.messaging.0.timestamp', got: 'soon' });
  });

  it("names the entry's time when a message without a timestamp falls back on it", () => {
    const body = structuredClone(messenger) as { entry: { time?: unknown; messaging: Json[] }[] };
    delete body.entry[0]!.messaging[0]!.timestamp;
    body.entry[0]!.time = 1e300;
    expect(refusal(facebookConnector, Buffer.from(JSON.stringify(body))).message).toContain('`entry.0.time`');
  });

  it('names the feed created_time, the Instagram entry time and the WhatsApp message timestamp', () => {
    expect(refusal(facebookConnector, changed(feed, 'entry.0.changes.0.value.created_time', ' ')).message).toContain(
      '`entry.0.changes.0.value.created_time` is not a Unix time',
    );
    expect(refusal(instagramConnector, changed(comments, 'entry.0.time', 1e300)).message).toContain('`entry.0.time`');
    const whatsappError = refusal(whatsappConnector, changed(whatsapp, 'entry.0.changes.0.value.messages.0.timestamp', 'x'));
    expect(whatsappError.message).toContain('`entry.0.changes.0.value.messages.0.timestamp` is not a Unix time');
  });

  it('refuses a time after year 9999, in seconds or milliseconds, naming the field', () => {
    const seconds = refusal(whatsappConnector, changed(whatsapp, 'entry.0.changes.0.value.messages.0.timestamp', '253402300800'));
    expect(seconds.message).toContain('`entry.0.changes.0.value.messages.0.timestamp` is not a usable time');
    const millis = refusal(facebookConnector, changed(messenger, 'entry.0.messaging.0.timestamp', 253_402_300_800_000));
    expect(millis.message).toContain('`entry.0.messaging.0.timestamp` is not a usable time');
    // The last millisecond of year 9999 is still a time.
    const last = events(facebookConnector, changed(messenger, 'entry.0.messaging.0.timestamp', 253_402_300_799_999));
    expect(last[0]?.createdAt).toBe('9999-12-31T23:59:59.999Z');
  });
});

describe('meta normalise: an empty id is refused, naming the payload field', () => {
  const deliveries = {
    'facebook feed-comments.json': [facebookConnector, feed],
    'facebook messenger.json': [facebookConnector, messenger],
    'instagram comments.json': [instagramConnector, comments],
    'whatsapp messages.json': [whatsappConnector, whatsapp],
  } as const satisfies Record<string, readonly [Connector, Json]>;
  it.each([
    ['facebook feed-comments.json', 'entry.0.changes.0.value.from.id'],
    ['facebook feed-comments.json', 'entry.0.id'],
    ['facebook messenger.json', 'entry.0.messaging.0.sender.id'],
    ['facebook messenger.json', 'entry.0.messaging.0.message.mid'],
    ['instagram comments.json', 'entry.0.changes.0.value.from.id'],
    ['instagram comments.json', 'entry.0.changes.0.value.id'],
    ['whatsapp messages.json', 'entry.0.changes.0.value.messages.0.from'],
    ['whatsapp messages.json', 'entry.0.changes.0.value.metadata.phone_number_id'],
  ] as const)('%s with an empty %s', (delivery, path) => {
    const [connector, body] = deliveries[delivery];
    const error = refusal(connector, changed(body, path, ''));
    // parseWith writes `delivery.<path>` for the envelope and `<path>` for a change's value.
    expect(error.message).toMatch(new RegExp(`(delivery\\.)?${path.replaceAll('.', '\\.')}: Too small`));
  });
});
