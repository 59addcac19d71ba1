import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { canonicalEventSchema } from '../../functions/core/event.js';
import { CANDIDATE_INDEX_FORMAT } from '../../functions/matcher/index.js';
import { withTestDefaults } from '../../functions/rules/compile.js';
import {
  compiledRulesFromFile,
  loadCompiledRuleSet,
  PHRASE_TOKENS_VERSION,
  toCompiledRuleSetFile,
} from '../../functions/rules/compiled-rule-set.js';
import { rulesMatcherFor } from '../../functions/rules/create-rule-set.js';
import {
  compileRuleDirectory,
  compileSources,
  createRuleSet,
  DEFAULT_TEST_NOW,
  memoryRuleState,
  parseFoghornConfig,
  RuleValidationError,
  runRuleTests,
} from '../../functions/rules/index.js';

describe("compiled rule set (the evaluate function's deploy-time form)", () => {
  it("carries the matcher's candidate index, which the rules loaded from the file restore instead of building", async () => {
    const fromYaml = await compileRuleDirectory('rules', { extensions: ruleLanguage });
    const file = JSON.parse(JSON.stringify(toCompiledRuleSetFile(fromYaml))) as { matcherIndex?: { format?: string } };
    expect(file.matcherIndex?.format).toBe(CANDIDATE_INDEX_FORMAT);
    const fromJson = compiledRulesFromFile(file, { extensions: ruleLanguage });
    expect(rulesMatcherFor(fromJson, fromJson.matcherIndex).indexRestored).toBe(true);
    // Rules changed after the index was saved: it no longer fits them and is built again.
    const disabled = fromJson.rules.map((rule, index) => (index === 0 ? { ...rule, enabled: false } : rule));
    expect(rulesMatcherFor({ ...fromJson, rules: disabled }, fromJson.matcherIndex).indexRestored).toBe(false);
  });

  it("carries its phrases' tokens, which the rules loaded from the file take instead of tokenizing, under the same version only", async () => {
    const fromYaml = await compileRuleDirectory('rules', { extensions: ruleLanguage });
    const file = JSON.parse(JSON.stringify(toCompiledRuleSetFile(fromYaml))) as {
      phraseTokens: { version: string; tokens: Record<string, string[]> };
    };
    expect(file.phraseTokens.version).toBe(PHRASE_TOKENS_VERSION);
    const saved = file.phraseTokens.tokens;
    expect(Object.keys(saved).length).toBeGreaterThan(5);
    expect(compiledRulesFromFile(file, { extensions: ruleLanguage }).text.tokenizedPhrases()).toEqual(saved);
    // Restored, not tokenized again: a changed entry is what the loaded conditions hold.
    const [first] = Object.keys(saved);
    const changed = { ...file, phraseTokens: { ...file.phraseTokens, tokens: { ...saved, [first!]: ['zzz'] } } };
    expect(compiledRulesFromFile(changed, { extensions: ruleLanguage }).text.tokenizedPhrases()[first!]).toEqual(['zzz']);
    // Another version, or a damaged entry, is not used: the phrases are tokenized as before.
    for (const ignored of [
      { ...changed, phraseTokens: { ...changed.phraseTokens, version: 'foghorn-phrase-tokens/0' } },
      { ...changed, phraseTokens: { ...changed.phraseTokens, tokens: { ...changed.phraseTokens.tokens, x: [1] } } },
    ]) {
      const tokens = compiledRulesFromFile(ignored, { extensions: ruleLanguage }).text.tokenizedPhrases();
      expect(tokens[first!]).toEqual(saved[first!]);
    }
  });

  it('evaluates the starter rules exactly as the YAML-loaded rule set does, on every event of their tests', async () => {
    // Prepare: the starter rules from YAML, and the same rules through the JSON file form.
    const fromYaml = await compileRuleDirectory('rules', { extensions: ruleLanguage });
    const fromJson = compiledRulesFromFile(JSON.parse(JSON.stringify(toCompiledRuleSetFile(fromYaml))), { extensions: ruleLanguage });
    const yamlRuleSet = createRuleSet(fromYaml.rules, fromYaml.config, fromYaml.text);
    const jsonRuleSet = createRuleSet(fromJson.rules, fromJson.config, fromJson.text, { matcherIndex: fromJson.matcherIndex });
    const events = fromYaml.rules.flatMap((rule) =>
      rule.tests.flatMap((test, index) =>
        (test.events ?? (test.event ? [test.event] : [])).map((event, eventIndex) => {
          const now = new Date(test.now ?? DEFAULT_TEST_NOW);
          return { now, event: canonicalEventSchema.parse(withTestDefaults(event, `${rule.id}-${index}-${eventIndex}`, now)) };
        }),
      ),
    );
    expect(events.length).toBeGreaterThan(10);
    // Act + Assess: same rule ids, same decisions, and the rules' own tests pass on the JSON form.
    expect(jsonRuleSet.ruleIds).toEqual(yamlRuleSet.ruleIds);
    for (const { now, event } of events) {
      const fromYamlDecision = await yamlRuleSet.evaluate(event, { now, state: memoryRuleState() });
      const fromJsonDecision = await jsonRuleSet.evaluate(event, { now, state: memoryRuleState() });
      expect(fromJsonDecision, event.id).toEqual(fromYamlDecision);
    }
    const failed = (await runRuleTests(fromJson, { extensions: ruleLanguage })).filter((result) => !result.passed);
    expect(failed.map((result) => `${result.name}: ${result.failures.join('; ')}`)).toEqual([]);
  });

  it('loads from a file and keeps load order', async () => {
    const config = parseFoghornConfig({}, undefined, { extensions: ruleLanguage });
    const compiled = compileSources(
      [
        { file: 'b.yaml', text: 'id: second\nwhen: { all: [{ fact: platform, operator: equal, value: x }] }\nthen: [{ tag: b }]\n' },
        { file: 'a.yaml', text: 'id: first\nwhen: { all: [{ fact: platform, operator: equal, value: x }] }\nthen: [{ tag: a }]\n' },
      ],
      config,
      { extensions: ruleLanguage },
    );
    const path = join(mkdtempSync(join(tmpdir(), 'foghorn-compiled-')), 'rules.compiled.json');
    writeFileSync(path, JSON.stringify(toCompiledRuleSetFile(compiled)));
    const ruleSet = await loadCompiledRuleSet(path, { extensions: ruleLanguage });
    expect(ruleSet.ruleIds).toEqual(['second', 'first']);
  });

  it('refuses rules with problems, files of another shape, and rules the config no longer allows, saying what is wrong', async () => {
    const config = parseFoghornConfig({ channels: { news: { platform: 'test' } } }, undefined, { extensions: ruleLanguage });
    const broken = compileSources([{ file: 'bad.yaml', text: 'id: bad\nwhen: { all: [] }\nthen: []\n' }], config, {
      extensions: ruleLanguage,
    });
    expect(() => toCompiledRuleSetFile(broken)).toThrow(RuleValidationError);
    expect(() => compiledRulesFromFile({ rules: [] }, { extensions: ruleLanguage, source: 'x.json' })).toThrow(
      /x\.json is not a compiled rule set/,
    );
    expect(() =>
      compiledRulesFromFile(
        { format: 'foghorn-compiled-rules/1', config: {}, rules: [{ file: 'a.yaml' }] },
        { extensions: ruleLanguage, source: 'x.json' },
      ),
    ).toThrow(/x\.json: rules\[0\] must be/);
    const posting = compileSources(
      [
        {
          file: 'post.yaml',
          text: 'id: post\nwhen: { all: [{ fact: platform, operator: equal, value: x }] }\nthen: [{ post: { channel: news, text: hi } }]\n',
        },
      ],
      config,
      { extensions: ruleLanguage },
    );
    const file = toCompiledRuleSetFile(posting);
    expect(() =>
      compiledRulesFromFile(
        { ...file, config: parseFoghornConfig({}, undefined, { extensions: ruleLanguage }) },
        { extensions: ruleLanguage },
      ),
    ).toThrow(/unknown channel 'news'/);
    await expect(loadCompiledRuleSet(join(tmpdir(), 'no-such-foghorn-rules.json'), { extensions: ruleLanguage })).rejects.toThrow(
      /cannot read the compiled rule set/,
    );
  });

  it('refuses a rule key that none of the extensions it is loaded with knows (it would be ignored)', () => {
    const config = parseFoghornConfig({ targets: { oncall: {} } }, undefined, { extensions: ruleLanguage });
    const spike = compileSources(
      [
        {
          file: 'spike.yaml',
          text: 'id: spike\nwhen: { all: [{ fact: text, operator: containsAny, value: [down] }] }\nvolume: { atLeast: 3, within: 5m }\nthen: [{ tag: down }]\n',
        },
      ],
      config,
      { extensions: ruleLanguage },
    );
    const file = JSON.parse(JSON.stringify(toCompiledRuleSetFile(spike))) as unknown;
    expect(compiledRulesFromFile(file, { extensions: ruleLanguage }).rules.map((rule) => rule.id)).toEqual(['spike']);
    expect(() => compiledRulesFromFile(file, { extensions: [] })).toThrow(/spike › volume: unknown key 'volume'/);
  });
});
