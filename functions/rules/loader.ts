import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { type Document, isCollection, LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import type { RuleSet } from '../core/rule-set.js';
import { type CompiledRule, compileRule } from './compile.js';
import { CONFIG_FILE_NAME, type FoghornConfig, findConfigPath, parseFoghornConfig, readFoghornConfig } from './config.js';
import { createRuleSet } from './create-rule-set.js';
import { type RuleProblem, RuleValidationError } from './errors.js';
import type { RuleLanguageExtension, RuleLanguageOptions } from './extension.js';
import { TextConditions } from './operators.js';

export interface RuleSource {
  /** Shown in problems; a path relative to the working directory reads best. */
  file: string;
  text: string;
}

export interface LoadOptions extends RuleLanguageOptions {
  /** The team config; when absent it is read from `configPath`, FOGHORN_CONFIG or the nearest foghorn.config.yaml. */
  config?: FoghornConfig;
  configPath?: string;
}

export interface CompiledRules {
  rules: CompiledRule[];
  problems: RuleProblem[];
  config: FoghornConfig;
  text: TextConditions;
  /** The matcher's candidate index saved with a compiled rule set (compiled-rule-set.ts), for createRuleSet. */
  matcherIndex?: unknown;
}

const RULE_FILE = /\.(ya?ml|json)$/i;

/**
 * Rule files under `root`, sorted so load order (and so tie-breaking) never depends on the disk.
 * The team config is never a rule: the CLI and the runtime look for it in the rules folder too.
 */
function ruleFilesAmong(root: string, entries: ReadonlyArray<{ name: string; parentPath: string; isFile(): boolean }>): string[] {
  return entries
    .filter((entry) => entry.isFile() && RULE_FILE.test(entry.name) && entry.name !== CONFIG_FILE_NAME)
    .map((entry) => join(entry.parentPath, entry.name))
    .filter(
      (path) =>
        !relative(root, path)
          .split(/[\\/]/)
          .some((part) => part.startsWith('.') || part === 'node_modules'),
    )
    .sort();
}

/** Rule files under `dir`, in load order. */
export async function listRuleFiles(dir: string): Promise<string[]> {
  return ruleFilesAmong(dir, await readdir(dir, { withFileTypes: true, recursive: true }));
}

function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : path;
}

export function resolveConfig(dir: string, options: LoadOptions): FoghornConfig {
  if (options.config) return options.config;
  const path = options.configPath ?? findConfigPath(dir);
  return path === undefined ? parseFoghornConfig({}, undefined, options) : readFoghornConfig(path, options);
}

interface ParsedSource {
  file: string;
  value: unknown;
  /** Line of a path inside the document; built lazily for JSON, since only files with problems need it. */
  lineOf: (path: ReadonlyArray<string | number>) => number;
}

/** Line of a path inside one parsed document; lines count from the start of its file. */
function documentLocator(document: Document, lineCounter: LineCounter): ParsedSource['lineOf'] {
  return (path) => {
    for (let length = path.length; length >= 0; length--) {
      const node = document.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
      if (length === 0 && isCollection(document.contents) && document.contents.range)
        return lineCounter.linePos(document.contents.range[0]).line;
    }
    return 1;
  };
}

function yamlLocator(text: string): ParsedSource['lineOf'] {
  let locate: ParsedSource['lineOf'] | undefined;
  return (path) => {
    if (!locate) {
      const lineCounter = new LineCounter();
      locate = documentLocator(parseDocument(text, { lineCounter }), lineCounter);
    }
    return locate(path);
  };
}

/**
 * JSON files take the fast path (JSON.parse); YAML files, and JSON that does not parse, the YAML
 * parser. A YAML file may hold several documents separated by `---`, each a rule or a list of rules;
 * each parsed document is one entry, located in the whole file. Empty documents among others (a
 * trailing `---`) are skipped; a file with nothing in it is one empty entry, reported as such.
 */
function parseSource(source: RuleSource, problems: RuleProblem[]): ParsedSource[] {
  if (/\.json$/i.test(source.file)) {
    try {
      return [{ file: source.file, value: JSON.parse(source.text), lineOf: yamlLocator(source.text) }];
    } catch {
      // fall through: the YAML parser reports the error with its line
    }
  }
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(source.text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const documents: Document[] = [...parsed];
  // An empty stream carries its own errors (a stray directive); documents carry theirs.
  const errors = ['empty' in parsed ? parsed.errors : [], ...documents.map((document) => document.errors)].flat();
  if (errors.length > 0) {
    const seen = new Set<string>();
    for (const error of errors) {
      const line = error.linePos?.[0].line ?? 0;
      const message = `not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
      if (seen.has(`${line}:${message}`)) continue;
      seen.add(`${line}:${message}`);
      problems.push({ file: source.file, line, path: '', message });
    }
    return [];
  }
  const entries = documents
    .map((document) => ({ file: source.file, value: document.toJS() as unknown, lineOf: documentLocator(document, lineCounter) }))
    .filter((entry) => entry.value !== null && entry.value !== undefined);
  return entries.length > 0 ? entries : [{ file: source.file, value: null, lineOf: () => 0 }];
}

/** Validates and compiles parsed rule files; collects every problem instead of stopping at the first. */
function compileParsed(
  parsed: readonly ParsedSource[],
  config: FoghornConfig,
  extensions: readonly RuleLanguageExtension[],
  problems: RuleProblem[],
): CompiledRules {
  const text = new TextConditions();
  const rules: CompiledRule[] = [];
  const firstSeen = new Map<string, { file: string; prefix: number[]; lineOf: ParsedSource['lineOf'] }>();
  let order = 0;
  for (const { file, value, lineOf } of parsed) {
    if (value === null || value === undefined) {
      problems.push({ file, line: 0, path: '', message: 'the file is empty: it should hold a rule or a list of rules' });
      continue;
    }
    const items = Array.isArray(value)
      ? value.map((item, index) => ({ item, prefix: [index] }))
      : [{ item: value, prefix: [] as number[] }];
    for (const { item, prefix } of items) {
      const result = compileRule(item, file, order++, { config, text, extensions });
      for (const problem of result.problems) {
        problems.push({
          file,
          line: lineOf([...prefix, ...problem.path]),
          ...(result.id ? { ruleId: result.id } : {}),
          path: formatPath(problem.path),
          message: problem.message,
        });
      }
      if (result.id !== undefined) {
        const earlier = firstSeen.get(result.id);
        if (earlier) {
          const first = `${earlier.file}:${earlier.lineOf([...earlier.prefix, 'id'])}`;
          problems.push({
            file,
            line: lineOf([...prefix, 'id']),
            ruleId: result.id,
            path: 'id',
            message: `duplicate rule id '${result.id}' (first defined at ${first})`,
          });
        } else {
          firstSeen.set(result.id, { file, prefix, lineOf });
        }
      }
      if (result.rule) rules.push(result.rule);
    }
  }
  // Stable sort: by file, then line, so the report reads top to bottom.
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { rules, problems, config, text };
}

/** Parses, validates and compiles rule sources; collects every problem instead of stopping at the first. */
export function compileSources(sources: readonly RuleSource[], config: FoghornConfig, options: RuleLanguageOptions): CompiledRules {
  const problems: RuleProblem[] = [];
  const parsed = sources.flatMap((source) => parseSource(source, problems));
  return compileParsed(parsed, config, options.extensions, problems);
}

/**
 * Compiles rules given as plain objects (generated rule sets, benchmarks, a bundled deployment):
 * no file reading or YAML. Problems name `file` and the rule's index.
 */
export function compileRuleObjects(
  rules: readonly unknown[],
  config: FoghornConfig,
  options: RuleLanguageOptions & { file?: string },
): CompiledRules {
  return compileParsed([{ file: options.file ?? '<rules>', value: [...rules], lineOf: () => 0 }], config, options.extensions, []);
}

/** `when.all[1].operator` from ['when', 'all', 1, 'operator']. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`), '');
}

/** Synchronous readRuleSources, for tools that must know the rules before anything runs (test collection). */
export function readRuleSourcesSync(dir: string): RuleSource[] {
  const absolute = resolve(dir);
  return ruleFilesAmong(absolute, readdirSync(absolute, { withFileTypes: true, recursive: true })).map((path) => ({
    file: displayPath(path),
    text: readFileSync(path, 'utf8'),
  }));
}

export async function readRuleSources(dir: string): Promise<RuleSource[]> {
  const absolute = resolve(dir);
  const files = await listRuleFiles(absolute);
  return Promise.all(files.map(async (path) => ({ file: displayPath(path), text: await readFile(path, 'utf8') })));
}

/** Reads and compiles every rule file under `dir`; problems are returned, not thrown. */
export async function compileRuleDirectory(dir: string, options: LoadOptions): Promise<CompiledRules> {
  const config = resolveConfig(dir, options);
  return compileSources(await readRuleSources(dir), config, options);
}

/** Builds a RuleSet from sources (e.g. bundled into a deployment); throws RuleValidationError. */
export function buildRuleSet(sources: readonly RuleSource[], config: FoghornConfig, options: RuleLanguageOptions): RuleSet {
  const compiled = compileSources(sources, config, options);
  if (compiled.problems.length > 0) throw new RuleValidationError(compiled.problems);
  return createRuleSet(compiled.rules, compiled.config, compiled.text);
}

/** Loads every rule under `dir`; throws RuleValidationError listing every problem with file, line and path. */
export async function loadRuleSet(dir: string, options: LoadOptions): Promise<RuleSet> {
  const compiled = await compileRuleDirectory(dir, options);
  if (compiled.problems.length > 0) throw new RuleValidationError(compiled.problems);
  return createRuleSet(compiled.rules, compiled.config, compiled.text);
}
