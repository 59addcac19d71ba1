import { existsSync, readFileSync } from 'node:fs';
import { matchesGlob } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The JSONC of a VS Code settings file: comments allowed (YAML 1.2 reads JSON, and `#` is not JSON, so strip `//`). */
function readJsonc(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return parse(text) as Record<string, unknown>;
}

/** The schema a path gets from yaml.schemas: a pattern list matches when one pattern does and no `!` pattern does. */
function schemaFor(schemas: Record<string, string[]>, path: string): string[] {
  return Object.entries(schemas)
    .filter(([, patterns]) => {
      const excluded = patterns.some((pattern) => pattern.startsWith('!') && matchesGlob(path, pattern.slice(1)));
      return !excluded && patterns.some((pattern) => !pattern.startsWith('!') && matchesGlob(path, pattern));
    })
    .map(([schema]) => schema);
}

describe('.vscode', () => {
  const schemas = readJsonc('.vscode/settings.json')['yaml.schemas'] as Record<string, string[]>;

  it('maps rule files at any depth to the rule schema, and the team config to the config schema', () => {
    for (const path of ['rules/faq.yaml', 'rules/faq/delivery-time.yaml', 'rules/a/b/c/deep.yml'])
      expect(schemaFor(schemas, path), path).toEqual(['./schema/rule.schema.json']);
    for (const path of ['foghorn.config.yaml', 'rules/foghorn.config.yaml', 'team/foghorn.config.yaml'])
      expect(schemaFor(schemas, path), path).toEqual(['./schema/config.schema.json']);
    expect(schemaFor(schemas, 'infra/other.yaml')).toEqual([]);
  });

  it('gives every checked-in rule file the rule schema and names schema files that exist', () => {
    const rules = ['rules/faq/delivery-time.yaml', 'rules/escalation/vip.yaml'];
    for (const path of rules) expect(existsSync(path)).toBe(true);
    for (const path of rules) expect(schemaFor(schemas, path)).toEqual(['./schema/rule.schema.json']);
    expect(Object.keys(schemas).length).toBeGreaterThan(0);
    for (const schema of Object.keys(schemas)) expect(existsSync(schema), schema).toBe(true);
  });

  it('recommends the YAML extension that reads yaml.schemas', () => {
    expect(readJsonc('.vscode/extensions.json').recommendations).toContain('redhat.vscode-yaml');
  });
});
