import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleDir } from '../rules/support.js';
import { runFoghorn } from '../support/cli.js';

const FAQ = `id: faq
when: { all: [{ fact: text, operator: containsAny, value: ["opening hours"] }, { fact: businessHours, operator: equal, value: true }] }
then: [{ reply: { text: { default: "9 to 18" } } }]
limits: { perAuthor: 1/24h }
`;
const CONFIG = 'timezone: UTC\nbusinessHours: { mon: "09:00-17:00" }\n';

async function evaluate(args: string[], stdin?: string) {
  const { code, out, err } = await runFoghorn(['evaluate', ...args], stdin === undefined ? {} : { stdin });
  return { code, out: out.map((line) => JSON.parse(line)), err };
}

describe('foghorn evaluate: events as a person writes them', () => {
  const dir = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/faq.yaml': FAQ });
  const rules = join(dir, 'rules');

  it("reads JSON lines on stdin (--events -), each event given a rule test's defaults", async () => {
    // Both have the default author, so the second meets the first's perAuthor limit; both at the default time, Monday 10:00.
    const result = await evaluate(
      ['--rules', rules, '--events', '-'],
      '{"text": "opening hours?"}\n\n{"text": "opening hours??"}\n{"text": "opening hours?", "platform": "generic"}\n',
    );
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      // The default platform, `test`, has no connector: the act stage would refuse the reply, and says so.
      {
        event: 'test:1',
        rules: ['faq'],
        actions: [
          { type: 'reply', rule: 'faq', lang: 'en', text: '9 to 18', fate: 'would fail', reason: "no connector for platform 'test'" },
        ],
      },
      {
        event: 'test:2',
        rules: ['faq'],
        actions: [],
        suppressed: [
          {
            type: 'reply',
            rule: 'faq',
            index: 0,
            fate: 'suppressed: perAuthor',
            reason: 'perAuthor limit: this author already had 1 in 1d',
          },
        ],
      },
      // On a platform Foghorn has, the same reply would go out (the limit counts per platform's author).
      { event: 'test:3', rules: ['faq'], actions: [{ type: 'reply', rule: 'faq', lang: 'en', text: '9 to 18', fate: 'would send' }] },
    ]);
  });

  it('reads a JSON array from a file; the times left out are --now', async () => {
    const events = join(dir, 'events.json');
    writeFileSync(
      events,
      JSON.stringify([
        { text: 'opening hours?', author: { id: 'a' } },
        { text: 'opening hours?', author: { id: 'b' }, receivedAt: '2026-01-05T10:00:00Z' },
      ]),
    );
    // Monday 20:00 is outside business hours; the second event's own receivedAt (10:00) is not, but --now decides the time.
    const late = await evaluate(['--rules', rules, '--events', events, '--now', '2026-01-05T20:00:00Z']);
    expect(late.out.map((line) => line.rules)).toEqual([[], []]);
    const open = await evaluate(['--rules', rules, '--events', events]);
    expect(open.out.map((line) => line.rules)).toEqual([['faq'], ['faq']]);
  });

  it('names a wrong event by its line or index and its field; the rest are evaluated; exit 1', async () => {
    const lines = await evaluate(
      ['--rules', rules, '--events', '-'],
      '{"text": "opening hours?"}\n{"text": "opening hours?", "author": {"id": 7}}\n',
    );
    expect(lines.code).toBe(1);
    expect(lines.err).toEqual(['stdin:2: not an event: author.id: expected a string, got a number 7']);
    expect(lines.out).toHaveLength(1);
    const array = await evaluate(['--rules', rules, '--events', '-'], '[{"text": "hi"}, {"text": "hi", "receivedAt": "soon"}]');
    expect(array.err).toEqual(['stdin[1]: not an event: receivedAt: "soon" is not an ISO time such as 2026-01-05T10:00:00Z']);
  });
});
