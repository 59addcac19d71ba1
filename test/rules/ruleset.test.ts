import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { loadRuleSet, memoryRuleState, RuleValidationError } from '../../functions/rules/index.js';
import { makeEvent, ruleDir, testConfig } from './support.js';

const NOW = new Date('2026-01-05T10:00:00Z');

const OPENING_HOURS = `
id: faq-opening-hours
when:
  all:
    - { fact: text, operator: containsAny, value: ["opening hours", "ساعت کاری"] }
then:
  - reply:
      text:
        fa: "سلام {{author.name}}"
        default: "Hi {{author.name}}{{meta.nickname}}, we open at 9."
`;

describe('loadRuleSet and evaluate', () => {
  it('replies in the event language with placeholders filled', async () => {
    // Prepare
    const rules = await loadRuleSet(ruleDir({ 'faq/hours.yaml': OPENING_HOURS }), { extensions: ruleLanguage, config: testConfig() });
    // Act
    const decision = await rules.evaluate(makeEvent({ text: 'ساعت کاری؟', lang: 'fa', author: { id: '7', name: 'Sara' } }), {
      now: NOW,
      state: memoryRuleState(),
    });
    // Assess
    expect(decision.rules).toEqual(['faq-opening-hours']);
    expect(decision.actions).toEqual([{ type: 'reply', ruleId: 'faq-opening-hours', index: 0, params: { lang: 'fa', text: 'سلام Sara' } }]);
  });

  it('falls back to the default text and renders a missing field as empty', async () => {
    const rules = await loadRuleSet(ruleDir({ 'hours.yaml': OPENING_HOURS }), { extensions: ruleLanguage, config: testConfig() });
    const decision = await rules.evaluate(makeEvent({ text: 'Opening hours?', lang: 'de', author: { id: '7', name: 'Jo' } }), {
      now: NOW,
      state: memoryRuleState(),
    });
    expect(decision.actions[0]?.params).toEqual({ lang: 'en', text: 'Hi Jo, we open at 9.' });
  });

  it('never acts on our own posts or on items Foghorn sent, but still lists the rule', async () => {
    const rules = await loadRuleSet(ruleDir({ 'hours.yaml': OPENING_HOURS }), { extensions: ruleLanguage, config: testConfig() });
    const self = await rules.evaluate(makeEvent({ text: 'opening hours', author: { id: 'us', isSelf: true } }), {
      now: NOW,
      state: memoryRuleState(),
    });
    const echo = await rules.evaluate(makeEvent({ text: 'opening hours', sentByFoghorn: true }), { now: NOW, state: memoryRuleState() });
    expect(self).toMatchObject({ rules: ['faq-opening-hours'], actions: [] });
    expect(echo).toMatchObject({ rules: ['faq-opening-hours'], actions: [] });
  });

  it('does not fire on text without the phrase as whole words', async () => {
    const rules = await loadRuleSet(ruleDir({ 'hours.yaml': OPENING_HOURS }), { extensions: ruleLanguage, config: testConfig() });
    const decision = await rules.evaluate(makeEvent({ text: 'reopening hoursly' }), { now: NOW, state: memoryRuleState() });
    expect(decision).toMatchObject({ rules: [], actions: [] });
  });

  it('rejects an invalid rule set listing every problem with file, line and path', async () => {
    const dir = ruleDir({
      'bad.yaml': 'id: bad-rule\nwhen:\n  all:\n    - { fact: txt, operator: containAny, value: [x] }\nthen:\n  - reply: { text: hi }\n',
    });
    const error = await loadRuleSet(dir, { extensions: ruleLanguage, config: testConfig() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuleValidationError);
    const problems = (error as RuleValidationError).problems.map(({ line, path, message }) => ({ line, path, message }));
    expect(problems).toEqual([
      { line: 4, path: 'when.all[0].fact', message: "unknown fact 'txt' (did you mean 'text'?)" },
      { line: 4, path: 'when.all[0].operator', message: "unknown operator 'containAny' (did you mean 'containsAny'?)" },
    ]);
  });
});
