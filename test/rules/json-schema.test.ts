import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleFileJsonSchemaText } from '../../functions/rules/json-schema.js';

describe('schema/rule.schema.json', () => {
  it('is up to date with the validator\'s schema (run `npm run schema` after changing it)', () => {
    expect(readFileSync('schema/rule.schema.json', 'utf8')).toBe(ruleFileJsonSchemaText());
  });

  it('describes rules, their actions and conditions', () => {
    const schema = JSON.parse(ruleFileJsonSchemaText()) as { anyOf: Array<{ required?: string[]; properties?: Record<string, unknown> }> };
    const rule = schema.anyOf[0]!;
    expect(rule.required).toEqual(expect.arrayContaining(['id', 'when', 'then']));
    expect(Object.keys(rule.properties ?? {})).toEqual(expect.arrayContaining(['priority', 'stop', 'limits', 'tests', 'match']));
  });
});
