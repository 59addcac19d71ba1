import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { keySuggestion, unknownLanguageMessage } from '../../functions/rules/did-you-mean.js';
import { formatProblem, loadRuleSet, RuleValidationError } from '../../functions/rules/index.js';
import { ruleSchemaFor } from '../../functions/rules/schema.js';
import { ruleDir, testConfig } from './support.js';

const ruleSchema = ruleSchemaFor(ruleLanguage);

describe('unknownLanguageMessage', () => {
  it.each([
    ['farsi', 'fa'],
    ['Persian', 'fa'],
    ['فارسی', 'fa'],
    ['arabic', 'ar'],
    ['العربية', 'ar'],
    ['hebrew', 'he'],
    ['עברית', 'he'],
    ['urdu', 'ur'],
    ['turkish', 'tr'],
    ['Türkçe', 'tr'],
    ['swahili', 'sw'],
    ['kiswahili', 'sw'],
    ['russian', 'ru'],
    ['русский', 'ru'],
    ['english', 'en'],
    ['englsh', 'en'],
  ])("names the code for '%s': %s", (name, code) => {
    expect(unknownLanguageMessage(name)).toBe(`unknown language '${name}' (did you mean '${code}'?)`);
  });

  it('says what a language key looks like when the name is not one it knows', () => {
    expect(unknownLanguageMessage('klingon')).toBe("unknown language 'klingon': a language code such as en, fa, ar, pt-BR, or default");
  });
});

describe('keySuggestion', () => {
  it('knows what other tools call a key', () => {
    expect(keySuggestion('threshold', ruleSchema, ['volume'])).toBe(" (did you mean 'atLeast'?)");
    expect(keySuggestion('window', ruleSchema, ['volume'])).toBe(" (did you mean 'within'?)");
    expect(keySuggestion('actions', ruleSchema, [])).toBe(" (did you mean 'then'?)");
    expect(keySuggestion('conditions', ruleSchema, [])).toBe(" (did you mean 'when'?)");
    expect(keySuggestion('level', ruleSchema, ['then', 0, 'escalate'])).toBe(" (did you mean 'severity'?)");
  });

  it('catches a misspelling, and a key written one level too high', () => {
    expect(keySuggestion('taget', ruleSchema, ['then', 0, 'escalate'])).toBe(" (did you mean 'target'?)");
    expect(keySuggestion('limit', ruleSchema, [])).toBe(" (did you mean 'limits'?)");
    expect(keySuggestion('threshold', ruleSchema, [])).toBe(" (did you mean 'volume.atLeast'?)");
    expect(keySuggestion('perminute', ruleSchema, [])).toBe(" (did you mean 'limits.perMinute'?)");
  });

  it('suggests nothing for a key nothing is near', () => {
    expect(keySuggestion('colour', ruleSchema, [])).toBe('');
  });
});

const RULE = `id: spike
description: many complaints at once
when: { all: [{ fact: text, operator: containsAny, value: [refund] }] }
volume:
  threshold: 30
  atLeast: 30
  within: 10m
then:
  - reply:
      text:
        default: We are on it.
        farsi: در حال پیگیری هستیم.
  - escalate: { target: oncall, summary: "{{text}}", level: high }
`;

async function problemLines(files: Record<string, string>): Promise<string[]> {
  const dir = ruleDir(files);
  const error = await loadRuleSet(dir, { extensions: ruleLanguage, config: testConfig() }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(RuleValidationError);
  return (error as RuleValidationError).problems.map((problem) => formatProblem({ ...problem, file: problem.file.slice(dir.length + 1) }));
}

describe('the loader', () => {
  it('turns a raw zod message for a language name into the code, and names near rule keys, with file:line', async () => {
    expect(await problemLines({ 'crisis/spike.yaml': RULE })).toEqual([
      "crisis/spike.yaml:5: spike › volume.threshold: unknown key 'threshold' (did you mean 'atLeast'?)",
      "crisis/spike.yaml:12: spike › then[0].reply.text.farsi: unknown language 'farsi' (did you mean 'fa'?)",
      "crisis/spike.yaml:13: spike › then[1].escalate.level: unknown key 'level' (did you mean 'severity'?)",
    ]);
  });
});

describe('foghorn rules validate', () => {
  it('prints the same did-you-mean, with file and line', async () => {
    const dir = ruleDir({ 'foghorn.config.yaml': 'targets: { oncall: {} }\n', 'rules/spike.yaml': RULE });
    const err: string[] = [];
    const io: CliIo = { out: () => {}, err: (line) => err.push(line), env: {}, cwd: dir };
    expect(await main(['rules', 'validate', join(dir, 'rules')], io)).toBe(1);
    const printed = err.join('\n');
    expect(printed).toContain("spike.yaml:12: spike › then[0].reply.text.farsi: unknown language 'farsi' (did you mean 'fa'?)");
    expect(printed).toContain("spike.yaml:5: spike › volume.threshold: unknown key 'threshold' (did you mean 'atLeast'?)");
  });
});
