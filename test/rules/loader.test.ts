import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { compileRuleDirectory, compileSources, readRuleSourcesSync } from '../../functions/rules/index.js';
import { listRuleFiles } from '../../functions/rules/loader.js';
import { ruleDir, testConfig } from './support.js';

const rule = (id: string, target = 'oncall') =>
  `id: ${id}\nwhen: { all: [{ fact: text, operator: containsAny, value: [outage] }] }\nthen: [{ escalate: { target: ${target}, summary: "Outage" } }]\n`;

describe('the team config in the rules folder', () => {
  it('is never read as a rule, and is the team config the folder is compiled with', async () => {
    // Prepare: the config where the docs say the CLI looks for it, naming a target only it declares
    const dir = ruleDir({
      'foghorn.config.yaml':
        'timezone: Asia/Tehran\nbusinessHours: { sat: "09:00-17:00" }\ntargets:\n  night-desk: { description: "Night desk" }\n',
      'outage.yaml': rule('outage', 'night-desk'),
    });
    // Act
    const files = await listRuleFiles(dir);
    const sources = readRuleSourcesSync(dir);
    const compiled = await compileRuleDirectory(dir, { extensions: ruleLanguage });
    // Assess
    expect(files.map((path) => path.slice(dir.length + 1))).toEqual(['outage.yaml']);
    expect(sources.map((source) => source.file.slice(-'outage.yaml'.length))).toEqual(['outage.yaml']);
    expect(sources).toHaveLength(1);
    expect(compiled.problems).toEqual([]);
    expect(compiled.rules.map((compiledRule) => compiledRule.id)).toEqual(['outage']);
    expect(compiled.config).toMatchObject({ timezone: 'Asia/Tehran', businessHours: { sat: '09:00-17:00' } });
  });
});

describe('files with several YAML documents', () => {
  it('loads each document separated by ---, and names the real line of a problem in the second one', () => {
    // Prepare: line 8 is the second document's misspelt fact
    const text = [
      '# first',
      rule('first').trimEnd(),
      '---',
      '# second',
      'id: second',
      'when: { all: [{ fact: txet, operator: containsAny, value: [outage] }] }',
      'then: [{ tag: seen }]',
      '---',
      rule('third').trimEnd(),
      '',
    ].join('\n');
    // Act
    const { rules, problems } = compileSources([{ file: 'many.yaml', text }], testConfig(), { extensions: ruleLanguage });
    // Assess
    expect(problems).toEqual([expect.objectContaining({ file: 'many.yaml', line: 8, ruleId: 'second', path: 'when.all[0].fact' })]);
    expect(rules.map((compiledRule) => compiledRule.id)).toEqual(['first', 'third']);
  });

  it('points a duplicate id at the document that defined it first', () => {
    const text = `${rule('same')}---\n${rule('other')}---\n${rule('same')}`;
    const { problems } = compileSources([{ file: 'dup.yaml', text }], testConfig(), { extensions: ruleLanguage });
    expect(problems).toEqual([
      expect.objectContaining({ line: 9, path: 'id', message: "duplicate rule id 'same' (first defined at dup.yaml:1)" }),
    ]);
  });

  it('reports a syntax error in a later document with its line, and an empty file once', () => {
    const broken = compileSources([{ file: 'b.yaml', text: `${rule('ok')}---\nid: twice\nid: again\n` }], testConfig(), {
      extensions: ruleLanguage,
    });
    expect(broken.problems).toEqual([
      expect.objectContaining({ file: 'b.yaml', line: 6, message: expect.stringMatching(/^not valid YAML: Map keys must be unique/) }),
    ]);
    const empty = compileSources([{ file: 'e.yaml', text: '---\n# nothing yet\n---\n' }], testConfig(), { extensions: ruleLanguage });
    expect(empty.problems).toEqual([expect.objectContaining({ file: 'e.yaml', message: expect.stringMatching(/the file is empty/) })]);
  });

  it("loads docs/crisis.md's example of three rules in one file", () => {
    const page = readFileSync(join(import.meta.dirname, '../../docs/crisis.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(page)?.[1] ?? '';
    expect(example).toContain('\n---\n');
    const config = testConfig({ targets: { oncall: {}, team: {} }, limits: { repliesPerAuthorPerDay: 3, breaker: { cooldown: '10m' } } });
    const { rules, problems } = compileSources([{ file: 'crisis.yaml', text: example }], config, { extensions: ruleLanguage });
    expect(problems).toEqual([]);
    expect(rules.map((compiledRule) => compiledRule.id)).toEqual(['outage-spike', 'unanswered-vip', 'status-page']);
  });
});
