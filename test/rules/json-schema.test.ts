import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { readFoghornConfig } from '../../functions/rules/config.js';
import { configJsonSchemaText, ruleFileJsonSchemaText } from '../../functions/rules/json-schema.js';

const options = { extensions: ruleLanguage };
const teamConfig = readFoghornConfig('foghorn.config.yaml', options);

/** A validator for a checked-in schema, as an editor's YAML extension would apply it. */
function validatorFor(file: string) {
  // strict: false, as editors are: the generated `format`s (date-time, email) are hints, not errors.
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
  return (value: unknown) => ({ valid: validate(value), errors: JSON.stringify(validate.errors ?? []) });
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

const rule = {
  id: 'refund-question',
  when: { all: [{ fact: 'text', operator: 'containsAny', value: ['refund'] }] },
  then: [{ reply: { text: { default: 'We will help.', fa: 'کمک می‌کنیم.' } } }, { escalate: { target: 'oncall', summary: '{{text}}' } }],
};
const withCondition = (condition: Record<string, unknown>) => ({ ...rule, when: { all: [condition] } });

describe('schema/rule.schema.json', () => {
  it("is up to date with the validator's schema and the team config (run `npm run schema` after changing either)", () => {
    expect(readFileSync('schema/rule.schema.json', 'utf8')).toBe(ruleFileJsonSchemaText({ ...options, config: teamConfig }));
  });

  it('describes rules, their actions and conditions', () => {
    const schema = JSON.parse(ruleFileJsonSchemaText(options)) as {
      anyOf: Array<{ required?: string[]; properties?: Record<string, unknown> }>;
    };
    const first = schema.anyOf[0]!;
    expect(first.required).toEqual(expect.arrayContaining(['id', 'when', 'then']));
    expect(Object.keys(first.properties ?? {})).toEqual(expect.arrayContaining(['priority', 'stop', 'limits', 'tests', 'match']));
  });

  it("is a function of the rule language extensions: their keys come after the base language's", () => {
    const keysOf = (text: string) =>
      Object.keys((JSON.parse(text) as { anyOf: Array<{ properties: Record<string, unknown> }> }).anyOf[0]!.properties);
    const base = keysOf(ruleFileJsonSchemaText({ extensions: [] }));
    expect(base).not.toContain('volume');
    expect(keysOf(ruleFileJsonSchemaText(options))).toEqual([...base, 'volume', 'after', 'crisisReply']);
  });

  it('accepts every sample rule file, each document of it', () => {
    const validate = validatorFor('schema/rule.schema.json');
    const files = yamlFiles('rules');
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const result = validate(document.toJS());
        expect(result.errors, file).toBe('[]');
      }
    }
  });

  it('accepts the rule the mistakes below are made in, with decorated operators and meta.* facts', () => {
    const validate = validatorFor('schema/rule.schema.json');
    expect(validate(rule).valid).toBe(true);
    expect(validate(withCondition({ fact: 'meta.sla.rule', operator: 'not:equal', value: 'x' })).valid).toBe(true);
    expect(validate(withCondition({ fact: 'businessHours', operator: 'equal', value: false })).valid).toBe(true);
  });

  it("refuses the operator 'containAny', naming the allowed operators", () => {
    const result = validatorFor('schema/rule.schema.json')(withCondition({ fact: 'text', operator: 'containAny', value: ['refund'] }));
    expect(result.valid).toBe(false);
    expect(result.errors).toContain('"instancePath":"/when/all/0/operator"');
    expect(result.errors).toContain('"allowedValues":["containsAny"');
  });

  it("refuses the fact 'kinds', naming the known facts", () => {
    const result = validatorFor('schema/rule.schema.json')(withCondition({ fact: 'kinds', operator: 'in', value: ['message'] }));
    expect(result.valid).toBe(false);
    expect(result.errors).toContain('"instancePath":"/when/all/0/fact"');
    expect(result.errors).toMatch(/"allowedValues":\[[^\]]*"kind"/);
  });

  it("refuses a 'farsi:' text key", () => {
    const result = validatorFor('schema/rule.schema.json')({ ...rule, then: [{ reply: { text: { default: 'Hi', farsi: 'سلام' } } }] });
    expect(result.valid).toBe(false);
    expect(result.errors).toContain('"propertyName":"farsi"');
  });

  it('refuses a target the team config does not declare, and lists the declared ones', () => {
    const validate = validatorFor('schema/rule.schema.json');
    const result = validate({ ...rule, then: [{ escalate: { target: 'pager', summary: 'x' } }] });
    expect(result.valid).toBe(false);
    expect(result.errors).toContain('"instancePath":"/then/0/escalate/target"');
    expect(result.errors).toContain('"allowedValues":["oncall","support-leads","comms"]');
    expect(validate({ ...rule, limits: { perMinute: 5, escalateTo: 'pager' } }).valid).toBe(false);
    expect(validate({ ...rule, then: [{ post: { channel: 'news', text: 'x' } }] }).valid).toBe(false);
    expect(validate({ ...rule, then: [{ post: { channel: 'announcements', text: 'x' } }] }).valid).toBe(true);
  });
});

describe('schema/config.schema.json', () => {
  it("is up to date with the config's zod schemas (run `npm run schema` after changing them)", () => {
    expect(readFileSync('schema/config.schema.json', 'utf8')).toBe(configJsonSchemaText(options));
  });

  it('accepts the sample foghorn.config.yaml and every target type the docs show', () => {
    const validate = validatorFor('schema/config.schema.json');
    expect(validate(parse(readFileSync('foghorn.config.yaml', 'utf8'))).errors).toBe('[]');
    const documented = parse(/```yaml\n(targets:[\s\S]*?)```/.exec(readFileSync('docs/crisis.md', 'utf8'))![1]!) as unknown;
    expect(validate(documented).errors).toBe('[]');
    expect(validate({ console: { users: [{ name: 'maya', role: 'lead', password: 'scrypt$N=1$a$b' }] } }).errors).toBe('[]');
    expect(validate({ analytics: { responseTarget: '10m' }, outbound: { x: { onAmbiguous: 'hold' } } }).errors).toBe('[]');
  });

  it.each([
    ['a business-hours range without minutes', { businessHours: { mon: '9-17' } }, '/businessHours/mon'],
    ['a day that is not a weekday', { businessHours: { monday: '09:00-17:00' } }, '"propertyName":"monday"'],
    ['a negative reply cap', { limits: { repliesPerAuthorPerDay: -1 } }, '/limits/repliesPerAuthorPerDay'],
    ['an unknown target type', { targets: { oncall: { type: 'pagerdooty', routingKey: 'FOGHORN_X' } } }, '/targets/oncall'],
    ['a secret in place of its setting name', { targets: { oncall: { type: 'pagerduty', routingKey: 'R0ut1ngK3y' } } }, '/targets/oncall'],
    ['an unknown console role', { console: { users: [{ name: 'maya', role: 'boss', password: 'scrypt$x' }] } }, '/console/users/0/role'],
    ['an unknown onAmbiguous', { outbound: { x: { onAmbiguous: 'maybe' } } }, '/outbound/x/onAmbiguous'],
    ['a misspelt analytics key', { analytics: { responseTargets: '10m' } }, '/analytics'],
  ])('refuses %s', (_what, config, where) => {
    const result = validatorFor('schema/config.schema.json')(config);
    expect(result.valid).toBe(false);
    expect(result.errors).toContain(where);
  });
});
