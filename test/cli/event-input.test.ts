import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type InputItem, readJsonInput, writtenEvent } from '../../cli/event-input.js';

async function items(chunks: Array<string | Buffer>, name = 'events.jsonl'): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of readJsonInput({ name, stream: Readable.from(chunks) })) out.push(item);
  return out;
}

const NOW = new Date('2026-01-05T10:00:00Z');

describe('readJsonInput', () => {
  it('reads JSON lines as they come, named by line, skipping blank lines and CRLF ends', async () => {
    expect(await items(['{"text":"a"}\r\n\n{"te', 'xt":"b"}\nnot json\n{"text":"c"}'])).toEqual([
      { where: 'events.jsonl:1', ordinal: 1, value: { text: 'a' } },
      { where: 'events.jsonl:3', ordinal: 2, value: { text: 'b' } },
      { where: 'events.jsonl:4', ordinal: 3, error: expect.stringMatching(/^not JSON: /) },
      { where: 'events.jsonl:5', ordinal: 4, value: { text: 'c' } },
    ]);
  });

  it('decodes a character split between chunks', async () => {
    const bytes = Buffer.from('{"text":"ساعت کاری"}\n');
    expect(await items([bytes.subarray(0, 11), bytes.subarray(11)])).toEqual([
      { where: 'events.jsonl:1', ordinal: 1, value: { text: 'ساعت کاری' } },
    ]);
  });

  it('reads one JSON array, pretty or not, named by index', async () => {
    expect(await items(['  [\n  {"text": "a"},\n', '  {"text": "b"}\n]\n'], 'stdin')).toEqual([
      { where: 'stdin[0]', ordinal: 1, value: { text: 'a' } },
      { where: 'stdin[1]', ordinal: 2, value: { text: 'b' } },
    ]);
    expect(await items(['[{"text": "a"},'], 'stdin')).toEqual([
      { where: 'stdin', ordinal: 1, error: expect.stringMatching(/^not a JSON array: /) },
    ]);
  });

  it('yields nothing for empty input', async () => {
    expect(await items(['', '\n  \n'])).toEqual([]);
  });
});

describe('writtenEvent', () => {
  it("fills in what a rule test's event gets: platform, kind, author, channel and both times", () => {
    expect(writtenEvent({ text: 'refund please', author: { name: 'Sara' } }, 3, NOW)).toEqual({
      event: {
        id: 'test:3',
        platform: 'test',
        kind: 'message',
        text: 'refund please',
        author: { id: 'test-author', name: 'Sara' },
        channel: { id: 'test-channel' },
        thread: {},
        createdAt: '2026-01-05T10:00:00.000Z',
        receivedAt: '2026-01-05T10:00:00.000Z',
      },
    });
  });

  it('keeps a whole canonical event as it is', () => {
    const event = {
      id: 'telegram:42',
      platform: 'telegram',
      kind: 'dm',
      text: 'hi',
      author: { id: '7' },
      channel: { id: 'c' },
      thread: { id: 't' },
      createdAt: '2026-02-01T08:00:00Z',
      receivedAt: '2026-02-01T08:00:01Z',
    };
    expect(writtenEvent(event, 1, NOW)).toEqual({ event });
  });

  it('names each wrong field in words: unknown fields with a suggestion, enums, times, types, shapes', () => {
    expect(writtenEvent({ txt: 'x', kind: 'mesage' }, 1, NOW)).toEqual({
      problems: [
        "txt: unknown field (did you mean 'text'?)",
        `kind: "mesage" is not one of message, mention, comment, reply, review, dm, post, reaction, sla.breached, ticket.solved, system, other (did you mean 'message'?)`,
      ],
    });
    expect(writtenEvent({ author: 'sam', channel: { id: 5 }, createdAt: 'yesterday' }, 1, NOW)).toEqual({
      problems: [
        'author: expected an object such as {"id": "7", "name": "Sara"}, got the string "sam"',
        'channel.id: expected a string, got a number 5',
        'createdAt: "yesterday" is not an ISO time such as 2026-01-05T10:00:00Z',
      ],
    });
    expect(writtenEvent([1], 1, NOW)).toEqual({ problems: ['an event is a JSON object such as {"text": "hello"}, got an array'] });
    const unknown = writtenEvent({ zzz: 1 }, 1, NOW);
    expect(unknown).toEqual({ problems: [expect.stringContaining("zzz: unknown field (an event's fields: id, platform, kind, text")] });
  });
});
