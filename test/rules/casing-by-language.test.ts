import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { compileRuleObjects, createRuleSet, memoryRuleState } from '../../functions/rules/index.js';
import { makeEvent, testConfig } from './support.js';

const NOW = new Date('2026-01-05T10:00:00Z');

/** A rule on `phrases` with its `match:` settings, compiled as the loader compiles it. */
function compiled(phrases: string[], match: Record<string, unknown> = { accents: 'match' }) {
  const config = testConfig();
  const rules = compileRuleObjects(
    [{ id: 'light', match, when: { all: [{ fact: 'text', operator: 'containsAny', value: phrases }] }, then: [{ tag: 'seen' }] }],
    config,
    { extensions: ruleLanguage },
  );
  expect(rules.problems).toEqual([]);
  return { ...rules, set: createRuleSet(rules.rules, config, rules.text) };
}

async function fires(set: ReturnType<typeof compiled>['set'], text: string, lang?: string, explain = false) {
  const decision = await set.evaluate(makeEvent({ text, ...(lang === undefined ? {} : { lang }) }), {
    now: NOW,
    state: memoryRuleState(),
    explain,
  });
  return { fired: decision.rules.includes('light'), decision };
}

describe("Turkish casing chosen by the post's language, for a rule without lang", () => {
  it('"IŞIK" and "Işık" hold "ışık" in a Turkish post, with accents kept and no lang on the rule', async () => {
    const { set } = compiled(['ışık']);
    expect((await fires(set, 'IŞIK', 'tr')).fired).toBe(true);
    expect((await fires(set, 'Işık', 'tr')).fired).toBe(true);
    expect((await fires(set, 'Bu akşam IŞIK gösterisi var', 'az')).fired).toBe(true);
    // In a post of another language I is i: "işik" is not "ışık".
    expect((await fires(set, 'IŞIK', 'en')).fired).toBe(false);
  });

  it('detects the language when the platform does not give it', async () => {
    const { set } = compiled(['ışık']);
    expect((await fires(set, 'Bu akşam sahnede büyük bir IŞIK gösterisi olacak, herkes davetli.')).fired).toBe(true);
  });

  it("an English post's I is not folded to ı", async () => {
    const { set } = compiled(['i need']);
    expect((await fires(set, 'I need help with my order', 'en')).fired).toBe(true);
    expect((await fires(set, 'I need help with my order please, nobody answers', undefined)).fired).toBe(true);
    // The same words in a post Turkish by its label read as "ı need".
    expect((await fires(set, 'I need', 'tr')).fired).toBe(false);
    // İ is i in Turkish: "İNEED" is not asked for, but "İ need" is "i need" there.
    expect((await fires(set, 'İ need', 'tr')).fired).toBe(true);
  });

  it("follows the rule's lang when it names one, whatever the post's", async () => {
    const { set, rules } = compiled(['ışık'], { accents: 'match', lang: 'tr' });
    expect((await fires(set, 'IŞIK', 'en')).fired).toBe(true);
    expect(rules[0]?.facts.has('lang')).toBe(false);
    const english = compiled(['i need'], { accents: 'match', lang: 'en' });
    expect((await fires(english.set, 'I need', 'tr')).fired).toBe(true);
  });

  it('asks for the language only where the casing can change the answer', () => {
    // Accents ignored (the default): ı reads as i, both casings agree.
    expect(compiled(['ışık'], {}).rules[0]?.facts.has('lang')).toBe(false);
    // No i, ı or dot in the phrase: no token that differs by casing can match it.
    expect(compiled(['sorun var'], { accents: 'match' }).rules[0]?.facts.has('lang')).toBe(false);
    expect(compiled(['ışık'], { accents: 'match' }).rules[0]?.facts.has('lang')).toBe(true);
  });

  it('with accents ignored, "IŞIK" holds "ışık" in a post of any language', async () => {
    const { set } = compiled(['ışık'], {});
    expect((await fires(set, 'IŞIK', 'en')).fired).toBe(true);
    expect((await fires(set, 'IŞIK', 'tr')).fired).toBe(true);
  });

  it('explains the condition the author wrote, in the casing the post used', async () => {
    const { set } = compiled(['ışık']);
    const { decision } = await fires(set, 'IŞIK', 'tr', true);
    expect(decision.explanation?.[0]).toMatchObject({
      rule: 'light',
      outcome: 'fired',
      conditions: { operator: 'all', result: true, conditions: [{ operator: 'containsAny', fact: 'text', value: ['ışık'], result: true }] },
    });
    const english = await fires(set, 'IŞIK', 'en', true);
    expect(english.decision.explanation?.[0]).toMatchObject({
      outcome: 'no-match',
      conditions: { conditions: [{ operator: 'containsAny', value: ['ışık'], result: false }] },
    });
  });
});
