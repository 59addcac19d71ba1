import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { ruleLanguageBasics } from '../../functions/app/rule-language-basics.js';
import { basicsOf } from '../../functions/rules/extension.js';
import { BASE_RULE_KEYS, ruleKeyNames } from '../../functions/rules/rule-keys.js';
import { ruleKeysFor } from '../../functions/rules/schema.js';

describe('the rule language basics the evaluate Lambda loads', () => {
  it("are the rule language's own: the same extensions, rule keys and text limits, in order", () => {
    expect(ruleLanguageBasics).toEqual(ruleLanguage.map(basicsOf));
    expect(ruleLanguageBasics.find((one) => one.textLimits)?.textLimits).toBe(ruleLanguage.find((one) => one.textLimits)?.textLimits);
  });

  it('allow exactly the keys the rule schema allows', () => {
    expect([...ruleKeyNames(ruleLanguageBasics)]).toEqual([...ruleKeysFor(ruleLanguage)]);
    expect([...ruleKeysFor([])]).toEqual([...BASE_RULE_KEYS]);
  });
});
