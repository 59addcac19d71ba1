import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { ruleFileJsonSchemaText } from '../../functions/rules/json-schema.js';

describe('schema/rule.schema.json', () => {
  it("is up to date with the validator's schema (run `npm run schema` after changing it)", () => {
    expect(readFileSync('schema/rule.schema.json', 'utf8')).toBe(ruleFileJsonSchemaText({ extensions: ruleLanguage }));
  });

  it('describes rules, their actions and conditions', () => {
    const schema = JSON.parse(ruleFileJsonSchemaText({ extensions: ruleLanguage })) as {
      anyOf: Array<{ required?: string[]; properties?: Record<string, unknown> }>;
    };
    const rule = schema.anyOf[0]!;
    expect(rule.required).toEqual(expect.arrayContaining(['id', 'when', 'then']));
    expect(Object.keys(rule.properties ?? {})).toEqual(expect.arrayContaining(['priority', 'stop', 'limits', 'tests', 'match']));
  });

  it("is a function of the rule language extensions: their keys come after the base language's", () => {
    const keysOf = (text: string) =>
      Object.keys((JSON.parse(text) as { anyOf: Array<{ properties: Record<string, unknown> }> }).anyOf[0]!.properties);
    const base = keysOf(ruleFileJsonSchemaText({ extensions: [] }));
    expect(base).not.toContain('volume');
    expect(keysOf(ruleFileJsonSchemaText({ extensions: ruleLanguage }))).toEqual([...base, 'volume', 'after', 'crisisReply']);
  });
});
