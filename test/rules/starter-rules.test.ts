import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { compileSources, formatProblem, readRuleSourcesSync, resolveConfig, runRuleTests } from '../../functions/rules/index.js';

// Runs the `tests:` of every rule under rules/, so `npm test` covers the team's rules.
const compiled = compileSources(readRuleSourcesSync('rules'), resolveConfig('rules', { extensions: ruleLanguage }), {
  extensions: ruleLanguage,
});

describe('rules/ (the starter rule set)', () => {
  it('is valid', () => {
    expect(compiled.problems.map(formatProblem)).toEqual([]);
  });

  it.each(compiled.rules.map((rule) => [rule.id, rule] as const))('%s passes its own tests', async (id, rule) => {
    expect(rule.tests.length, `${id} has no tests`).toBeGreaterThan(0);
    const results = await runRuleTests(compiled, { extensions: ruleLanguage, only: (ruleId) => ruleId === id });
    expect(results.filter((result) => !result.passed).map((result) => `${result.name}: ${result.failures.join('; ')}`)).toEqual([]);
  });
});
