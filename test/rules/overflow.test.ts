import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { compileRuleDirectory, loadRuleSet, memoryRuleState } from '../../functions/rules/index.js';
import { pinnedValues } from '../../functions/rules/pinned-facts.js';
import { textLength } from '../../functions/text/index.js';
import { makeEvent, ruleDir, testConfig } from './support.js';

const NOW = new Date('2026-01-05T10:00:00Z');
const CONFIG = 'targets: { oncall: {} }\nchannels:\n  news: { platform: x }\n  wa: { platform: whatsapp }\n  plain: {}\n';
const LONG = 'Our terms apply to every purchase. '.repeat(142).trimEnd().padEnd(5_000, '.');

async function validate(files: Record<string, string>) {
  const dir = ruleDir({ 'foghorn.config.yaml': CONFIG, ...files });
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), env: {}, cwd: process.cwd() };
  const code = await main(['rules', 'validate', join(dir, 'rules')], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const telegramReply = (text: string, extra = '') => `id: terms
when: { all: [{ fact: platform, operator: equal, value: telegram }] }
then:
  - reply: { text: ${JSON.stringify(text)} }
${extra}`;

describe('rules validate: a static text over its platform’s limit', () => {
  it('refuses a static 5,000-character Telegram reply, naming the limit, with file:line and path', async () => {
    expect(LONG).toHaveLength(5_000);
    const result = await validate({ 'rules/terms.yaml': telegramReply(LONG) });
    expect(result.code).toBe(1);
    expect(result.err).toContain('terms.yaml:4: terms › then[0].reply.text: the text is too long: 5,000 characters; telegram allows 4,096');
  });

  it('a text with placeholders cannot be measured before it is rendered: accepted', async () => {
    const result = await validate({ 'rules/terms.yaml': telegramReply(`${LONG} {{author.name}}`) });
    expect(result.code).toBe(0);
  });

  it('checks every platform an `in` pins, each language, and the channel of a post', async () => {
    const rules = `id: many
when: { all: [{ fact: platform, operator: in, value: [telegram, discord] }] }
then:
  - reply: { text: { default: "short", fa: ${JSON.stringify('س'.repeat(3_000))} } }
  - post: { channel: news, text: ${JSON.stringify('字'.repeat(141))} }
  - post: { channel: plain, text: ${JSON.stringify('a'.repeat(2_001))} }
`;
    const result = await validate({ 'rules/many.yaml': rules });
    expect(result.code).toBe(1);
    expect(result.err).toContain('many › then[0].reply.text.fa: the text is too long: 3,000 characters; discord allows 2,000');
    expect(result.err).toContain('many › then[1].post.text: the text is too long: 282 weighted characters; X post allows 280');
    // A channel without a platform goes where the event came from: the pinned platforms.
    expect(result.err).toContain('many › then[2].post.text: the text is too long: 2,001 characters; discord allows 2,000');
    expect(result.err).not.toContain('telegram allows');
  });

  it('a rule whose platform is not pinned cannot be checked: accepted', async () => {
    const rules = `id: anywhere\nwhen: { all: [{ fact: text, operator: containsAny, value: [terms] }] }\nthen: [{ reply: { text: ${JSON.stringify(LONG)} } }]\n`;
    expect((await validate({ 'rules/anywhere.yaml': rules })).code).toBe(0);
  });

  it('a pinned kind narrows the limit: 300 characters fit an X DM, not an X post', async () => {
    const reply = (kind: string) =>
      `id: x-${kind}\nwhen: { all: [{ fact: platform, operator: equal, value: x }, { fact: kind, operator: equal, value: ${kind} }] }\nthen: [{ reply: { text: ${JSON.stringify('a'.repeat(300))} } }]\n`;
    expect((await validate({ 'rules/dm.yaml': reply('dm') })).code).toBe(0);
    const mention = await validate({ 'rules/mention.yaml': reply('mention') });
    expect(mention.err).toContain('x-mention › then[0].reply.text: the text is too long: 300 weighted characters; X post allows 280');
  });

  it('overflow: split is refused where the platform has no threads, naming it', async () => {
    const rules = `id: wa
when: { all: [{ fact: platform, operator: equal, value: whatsapp }] }
then: [{ reply: { text: "Thanks, {{author.name}}" } }]
overflow: split
`;
    const result = await validate({ 'rules/wa.yaml': rules });
    expect(result.code).toBe(1);
    expect(result.err).toContain('wa.yaml:4: wa › overflow: overflow: split posts a long text as a thread, which whatsapp cannot do');
  });

  it('a long static text with overflow: split on a platform with threads is a deliberate thread', async () => {
    expect((await validate({ 'rules/terms.yaml': telegramReply(LONG, 'overflow: split\n') })).code).toBe(0);
  });

  it('overflow takes hold, truncate or split', async () => {
    const result = await validate({ 'rules/terms.yaml': telegramReply('ok', 'overflow: cut\n') });
    expect(result.code).toBe(1);
    expect(result.err).toContain('terms › overflow:');
  });
});

describe('pinnedValues: where a rule can send, from its conditions', () => {
  const leaf = (value: unknown, operator = 'equal') => ({ fact: 'platform', operator, value });
  it('all intersects, any unites only when every branch pins, not pins nothing', () => {
    expect(pinnedValues({ all: [leaf(['x', 'telegram'], 'in'), leaf('x')] }, 'platform')).toEqual(new Set(['x']));
    expect(pinnedValues({ any: [leaf('x'), { all: [leaf('slack')] }] }, 'platform')).toEqual(new Set(['x', 'slack']));
    expect(pinnedValues({ any: [leaf('x'), { fact: 'text', operator: 'equal', value: 'hi' }] }, 'platform')).toBeUndefined();
    expect(pinnedValues({ not: leaf('x') }, 'platform')).toBeUndefined();
    expect(pinnedValues({ all: [{ ...leaf('x'), path: '$.a' }] }, 'platform')).toBeUndefined();
  });
});

describe('overflow when a reply is rendered', () => {
  const rule = (overflow: string) => `id: echo
when: { all: [{ fact: text, operator: containsAny, value: [terms] }] }
then: [{ reply: { text: "{{text}}" } }]
overflow: ${overflow}
`;
  const evaluate = async (overflow: string, platform: string, text: string, kind: 'mention' | 'message' = 'mention') => {
    const rules = await loadRuleSet(ruleDir({ 'echo.yaml': rule(overflow) }), { extensions: ruleLanguage, config: testConfig() });
    const decision = await rules.evaluate(makeEvent({ platform, kind, text }), { now: NOW, state: memoryRuleState() });
    return decision.actions[0]!.params;
  };

  it('truncate on X: measured with X’s weights (CJK counts 2), cut with an ellipsis', async () => {
    const text = `terms ${'字'.repeat(300)}`;
    const params = await evaluate('truncate', 'x', text);
    expect(textLength(params.text as string, 'x-weighted')).toBeLessThanOrEqual(280);
    expect((params.text as string).endsWith('…')).toBe(true);
    expect(params.fitted).toMatchObject({ from: 606, max: 280, counts: 'x-weighted', how: 'truncate' });
  });

  it('split on X: parts of at most 280 weighted characters; the text stays whole for the outgoing guard', async () => {
    const text = `terms ${'word '.repeat(200)}`;
    const params = await evaluate('split', 'x', text);
    expect(params.text).toBe(text);
    const parts = params.parts as string[];
    expect(parts.length).toBe(4);
    for (const part of parts) expect(textLength(part, 'x-weighted')).toBeLessThanOrEqual(280);
  });

  it('hold (the default) leaves the text whole: the act stage holds it', async () => {
    const text = `terms ${'a'.repeat(5_000)}`;
    const params = await evaluate('hold', 'telegram', text, 'message');
    expect(params.text).toBe(text);
    expect(params.parts).toBeUndefined();
  });

  it("a rule's hold parks its reply already fitted", async () => {
    const held = `id: check\nwhen: { all: [{ fact: text, operator: containsAny, value: [terms] }] }\nthen: [{ hold: { reason: check, reply: { text: "{{text}}" } } }]\noverflow: truncate\n`;
    const rules = await loadRuleSet(ruleDir({ 'check.yaml': held }), { extensions: ruleLanguage, config: testConfig() });
    const decision = await rules.evaluate(makeEvent({ platform: 'x', kind: 'mention', text: `terms ${'字'.repeat(300)}` }), {
      now: NOW,
      state: memoryRuleState(),
    });
    const parked = decision.actions[0]!.params.action as { type: string; text: string };
    expect(parked.type).toBe('reply');
    expect(textLength(parked.text, 'x-weighted')).toBeLessThanOrEqual(280);
  });

  it('a text that fits is left alone', async () => {
    expect(await evaluate('truncate', 'x', 'terms please')).toEqual({ lang: 'en', text: 'terms please' });
  });

  it('the starter rules still validate', async () => {
    expect((await compileRuleDirectory('rules', { extensions: ruleLanguage })).problems).toEqual([]);
  });
});
