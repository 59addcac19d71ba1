import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFoghorn } from '../../support/cli.js';
import { ruleDir } from '../support.js';

const CONFIG = 'language:\n  default: en\n  channels:\n    "generic:persian-desk": fa\n';
const THANKS = `id: thanks
when: { all: [{ fact: kind, operator: equal, value: message }] }
then: [{ reply: { text: { fa: "ممنون", ur: "شکریہ", default: "thanks" } } }]
tests:
  - name: a short shared word on the Persian desk is answered in Persian
    event: { text: "انتخابات", channel: { id: persian-desk }, platform: generic }
    expect: { fires: true, actions: [{ type: reply, text: "ممنون" }] }
`;

function event(id: string, text: string, author: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    platform: 'generic',
    kind: 'message',
    text,
    author: { id: author },
    channel: { id: 'general' },
    createdAt: '2026-01-05T10:00:00Z',
    receivedAt: '2026-01-05T10:00:00Z',
    ...extra,
  });
}

describe('foghorn evaluate --explain: which decided the language', () => {
  it('text where it decides; else the platform, the author, the channel', async () => {
    const dir = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/thanks.yaml': THANKS });
    const events = join(dir, 'events.jsonl');
    writeFileSync(
      events,
      [
        // A sentence with Urdu's own letters: the text decides, and the author is remembered as writing Urdu.
        event('generic:1', 'میرا آرڈر ابھی تک نہیں پہنچا', 'amir'),
        // One word Persian and Urdu share: the text cannot tell, the author's recent language does.
        event('generic:2', 'انتخابات', 'amir'),
        // The same word from someone new on the Persian desk: the channel's language.
        event('generic:3', 'انتخابات', 'sara', { channel: { id: 'persian-desk' } }),
        // The platform's language for the author (Telegram's language_code) comes before the channel.
        event('generic:4', 'انتخابات', 'omar', { channel: { id: 'persian-desk' }, meta: { userLanguage: 'ur' } }),
        // A Persian sentence is Persian, whatever the author wrote before.
        event('generic:5', 'سفارش من هنوز نرسیده است، لطفا پیگیری کنید', 'amir'),
        // A platform that labels the post itself (X's lang) is taken at its word.
        event('generic:6', 'انتخابات', 'amir', { lang: 'ar' }),
        // Two English words CLD3 and the commonest words leave to fastText's vote, from someone new.
        event('generic:7', "I'm staying", 'lena'),
      ].join('\n'),
    );
    const result = await runFoghorn([
      'evaluate',
      '--rules',
      join(dir, 'rules'),
      '--events',
      events,
      '--explain',
      '--now',
      '2026-01-05T10:00:00Z',
    ]);
    expect(result.err).toEqual([]);
    const lines = result.out.map((line) => JSON.parse(line) as { lang: string; actions: Array<{ text: string }> });
    expect(lines.map((line) => line.lang)).toEqual([
      'ur (from: text, by: letters)',
      'ur (from: author)',
      'fa (from: channel)',
      'ur (from: platform)',
      'fa (from: text, by: letters)',
      'ar (from: platform)',
      'en (from: text, by: fasttext)',
    ]);
    expect(lines.map((line) => line.actions[0]?.text)).toEqual(['شکریہ', 'شکریہ', 'ممنون', 'شکریہ', 'ممنون', 'thanks', 'thanks']);
  });

  it('without --explain the line has no lang', async () => {
    const dir = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/thanks.yaml': THANKS });
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, event('generic:1', 'انتخابات', 'amir'));
    const result = await runFoghorn(['evaluate', '--rules', join(dir, 'rules'), '--events', events]);
    expect(JSON.parse(result.out[0]!)).not.toHaveProperty('lang');
  });

  it("rules test: the channel's language decides a rule test's short post, and a failing test says what decided", async () => {
    const passing = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/thanks.yaml': THANKS });
    expect((await runFoghorn(['rules', 'test', join(passing, 'rules')], { cwd: passing })).code).toBe(0);
    const failing = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/thanks.yaml': THANKS.replace('text: "ممنون" }]', 'text: "شکریہ" }]') });
    const result = await runFoghorn(['rules', 'test', join(failing, 'rules')], { cwd: failing });
    expect(result.code).toBe(1);
    expect(result.out.join('\n')).toContain('lang: fa (from: channel)');
  });

  it("language.expected: a short post is read as the likeliest of the team's languages, and a wrong code is refused", async () => {
    const greet = `id: greet
when: { all: [{ fact: kind, operator: equal, value: message }] }
then: [{ reply: { text: { sw: "karibu", tr: "hoş geldiniz", default: "welcome" } } }]
`;
    const run = async (config: string) => {
      const dir = ruleDir({ 'foghorn.config.yaml': config, 'rules/greet.yaml': greet });
      const events = join(dir, 'events.jsonl');
      writeFileSync(events, event('generic:1', 'asante sana', 'juma'));
      return runFoghorn(['evaluate', '--rules', join(dir, 'rules'), '--events', events, '--explain', '--now', '2026-01-05T10:00:00Z'], {
        cwd: dir,
      });
    };
    const every = JSON.parse((await run('language:\n  default: en\n')).out[0]!) as { lang: string; actions: Array<{ text: string }> };
    expect([every.lang, every.actions[0]?.text]).toEqual(['tr (from: text, by: lexicon)', 'hoş geldiniz']);
    const team = JSON.parse((await run('language:\n  default: en\n  expected: [en, sw]\n')).out[0]!) as typeof every;
    expect([team.lang, team.actions[0]?.text]).toEqual(['sw (from: text, by: lexicon)', 'karibu']);
    const wrong = await run('language:\n  default: en\n  expected: [English]\n');
    expect(wrong.code).not.toBe(0);
    expect(wrong.err.join('\n')).toMatch(/language\.expected.*a language code such as sw, tr or en/s);
  });
});
