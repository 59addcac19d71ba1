import { readFile } from 'node:fs/promises';
import type { RuleSet } from '../core/rule-set.js';
import type { CandidateIndexSnapshot } from '../matcher/index.js';
import { loadPatternEngine, type PhraseTokens } from '../text/index.js';
import { type CompiledRule, compileValidatedRule, type LocatedProblem } from './compiled-rule.js';
import type { FoghornConfig } from './config.js';
import { createRuleSet, matcherIndexOf } from './create-rule-set.js';
import { RuleValidationError } from './errors.js';
import { basicsOf, type RuleLanguageBasics, type RuleLanguageExtension } from './extension.js';
import type { CompiledRules } from './loader.js';
import { TextConditions } from './operators.js';
import { ruleKeyNames } from './rule-keys.js';
import type { RuleSpec } from './schema.js';

/**
 * A rule set validated once (at deploy time) and written as one JSON file: the team config and each
 * rule's validated spec, in load order. Loading it reads no YAML and skips schema validation, which
 * is most of a cold start's rule loading; the rules are still compiled (conditions, templates).
 * This module imports neither the YAML parser, nor the loader, nor zod (the rule language's basics
 * are enough: functions/rules/extension.ts), so a bundle that loads only this form leaves them out.
 */
export interface CompiledRuleSetFile {
  format: typeof COMPILED_RULE_SET_FORMAT;
  config: FoghornConfig;
  rules: Array<{ file: string; spec: RuleSpec }>;
  /**
   * The compiled matcher's candidate index over these rules (its own version stamp inside), so a cold start
   * restores it instead of building it; absent, or of another version, it is built as before.
   */
  matcherIndex?: CandidateIndexSnapshot;
  /**
   * The tokens of every phrase the rules' text conditions name, by normalisation variant and phrase, so a cold
   * start does not tokenize them again; used only under the same version stamp (a change to the text
   * normalisation or tokenizer must change it), else they are tokenized as before.
   */
  phraseTokens?: { version: typeof PHRASE_TOKENS_VERSION; tokens: Record<string, PhraseTokens> };
}

export const COMPILED_RULE_SET_FORMAT = 'foghorn-compiled-rules/1';
export const PHRASE_TOKENS_VERSION = 'foghorn-phrase-tokens/4';

/** The rule language the file is read with: the extensions, or only their basics (the evaluate Lambda). */
export interface CompiledRuleSetOptions {
  readonly extensions: readonly (RuleLanguageExtension | RuleLanguageBasics)[];
}

/** The file form of rules that compiled without problems (from `compileRuleDirectory`, say). */
export function toCompiledRuleSetFile(compiled: Pick<CompiledRules, 'rules' | 'config' | 'problems' | 'text'>): CompiledRuleSetFile {
  if (compiled.problems.length > 0) throw new RuleValidationError(compiled.problems);
  const inOrder = [...compiled.rules].sort((a, b) => a.order - b.order);
  return {
    format: COMPILED_RULE_SET_FORMAT,
    config: compiled.config,
    rules: inOrder.map((rule) => ({ file: rule.file, spec: rule.spec })),
    matcherIndex: matcherIndexOf(compiled),
    phraseTokens: { version: PHRASE_TOKENS_VERSION, tokens: compiled.text.tokenizedPhrases() },
  };
}

/**
 * Compiles the file form again; throws RuleValidationError if a rule no longer compiles against the
 * config, or holds a key none of `extensions` knows (it was validated with others, and would be ignored).
 */
export function compiledRulesFromFile(value: unknown, options: CompiledRuleSetOptions & { source?: string }): CompiledRules {
  const file = checkedFile(value, options.source ?? '<compiled rules>');
  const extensions = options.extensions.map(basicsOf);
  const known = ruleKeyNames(extensions);
  const textLimits = extensions.find((extension) => extension.textLimits !== undefined)?.textLimits;
  const text = new TextConditions(savedPhraseTokens(file.phraseTokens));
  const rules: CompiledRule[] = [];
  const problems: CompiledRules['problems'] = [];
  file.rules.forEach(({ file: ruleFile, spec }, order) => {
    for (const key of Object.keys(spec)) {
      if (!known.has(key)) problems.push({ file: ruleFile, line: 0, ruleId: spec.id, path: key, message: `unknown key '${key}'` });
    }
    const found: LocatedProblem[] = [];
    const rule = compileValidatedRule(spec, ruleFile, order, { config: file.config, text, textLimits }, found);
    for (const problem of found) {
      problems.push({ file: ruleFile, line: 0, ruleId: spec.id, path: problem.path.join('.'), message: problem.message });
    }
    if (rule) rules.push(rule);
  });
  if (problems.length > 0) throw new RuleValidationError(problems);
  return { rules, problems, config: file.config, text, ...(file.matcherIndex === undefined ? {} : { matcherIndex: file.matcherIndex }) };
}

/**
 * Reads and compiles a compiled rule set file (the evaluate function's cold start). The pattern
 * engine (re2js) is loaded first when, and only when, a rule uses `matches`.
 */
export async function loadCompiledRules(path: string, options: CompiledRuleSetOptions): Promise<CompiledRules> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the compiled rule set ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (usesPatterns(value)) await loadPatternEngine();
  return compiledRulesFromFile(value, { ...options, source: path });
}

/** Whether any condition in the file's rules has the `matches` operator (with or without decorators, e.g. `not:matches`). */
export function usesPatterns(value: unknown): boolean {
  const rules = (value as Partial<CompiledRuleSetFile> | null)?.rules;
  if (!Array.isArray(rules)) return false;
  const visit = (node: unknown): boolean => {
    if (Array.isArray(node)) return node.some(visit);
    if (node === null || typeof node !== 'object') return false;
    const { operator } = node as { operator?: unknown };
    if (typeof operator === 'string' && operator.split(':').includes('matches')) return true;
    return Object.values(node).some(visit);
  };
  return rules.some((rule) => visit((rule as { spec?: unknown } | null)?.spec));
}

/** A RuleSet from a compiled rule set file. */
export async function loadCompiledRuleSet(path: string, options: CompiledRuleSetOptions): Promise<RuleSet> {
  const compiled = await loadCompiledRules(path, options);
  return createRuleSet(compiled.rules, compiled.config, compiled.text, { matcherIndex: compiled.matcherIndex });
}

/** The saved phrase tokens when they are of this version and well formed; none otherwise (the phrases are tokenized). */
function savedPhraseTokens(saved: unknown): Record<string, PhraseTokens> {
  const { version, tokens } = (saved ?? {}) as { version?: unknown; tokens?: unknown };
  if (version !== PHRASE_TOKENS_VERSION || tokens === null || typeof tokens !== 'object') return {};
  const valid = Object.values(tokens).every(
    (list) => Array.isArray(list) && list.length > 0 && list.every((token) => typeof token === 'string' && token !== ''),
  );
  return valid ? (tokens as Record<string, PhraseTokens>) : {};
}

/** The shape written by toCompiledRuleSetFile; anything else is refused with what is wrong. */
function checkedFile(value: unknown, source: string): CompiledRuleSetFile {
  const file = value as Partial<CompiledRuleSetFile> | null;
  if (file === null || typeof file !== 'object' || file.format !== COMPILED_RULE_SET_FORMAT) {
    throw new Error(`${source} is not a compiled rule set: expected format '${COMPILED_RULE_SET_FORMAT}'`);
  }
  if (file.config === null || typeof file.config !== 'object') throw new Error(`${source}: config must be an object`);
  if (!Array.isArray(file.rules)) throw new Error(`${source}: rules must be a list`);
  file.rules.forEach((rule, index) => {
    if (
      rule === null ||
      typeof rule !== 'object' ||
      typeof rule.file !== 'string' ||
      rule.spec === null ||
      typeof rule.spec !== 'object' ||
      typeof rule.spec.id !== 'string'
    ) {
      throw new Error(`${source}: rules[${index}] must be { file, spec } with spec.id`);
    }
  });
  return file as CompiledRuleSetFile;
}
