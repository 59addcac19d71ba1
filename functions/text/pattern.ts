import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';
import { capText, type NormaliseOptions, normaliseText } from './normalise.js';

/**
 * `matches`: an RE2 pattern (linear time, so no pattern can hang the evaluator) run on the
 * normalised text, case-insensitively. The pattern's non-ASCII literals are normalised like the text
 * (Arabic letter variants, Hebrew final forms, native digits), so authors may write either form;
 * ASCII is left alone because RE2's syntax is ASCII.
 *
 * The engine (re2js, about 150 KB) is loaded only when a pattern is compiled: a rule set without
 * `matches` never loads it. A bundle that ships re2js beside itself (the evaluate function) awaits
 * `loadPatternEngine()` before compiling rules that use `matches`; elsewhere (Node with
 * node_modules, tests, the CLI) the first `compilePattern` loads it synchronously.
 */
export type CompiledPattern = RE2JS;

type PatternEngine = typeof RE2JS;

let engine: PatternEngine | undefined;
let loading: Promise<PatternEngine> | undefined;

/** Whether re2js has been loaded in this process (for tests and diagnostics). */
export function patternEngineLoaded(): boolean {
  return engine !== undefined;
}

/** Loads re2js once; compilePattern is then synchronous with no fallback. */
export function loadPatternEngine(): Promise<void> {
  loading ??= import('re2js').then((module) => {
    engine ??= module.RE2JS;
    return engine;
  });
  loading.catch(() => {
    loading = undefined;
  });
  return loading.then(() => undefined);
}

function patternEngine(): PatternEngine {
  engine ??= (createRequire(import.meta.url)('re2js') as { RE2JS: PatternEngine }).RE2JS;
  return engine;
}

/** Compiles a rule's pattern; throws with RE2's own message when RE2 cannot run it. */
export function compilePattern(pattern: string, options: NormaliseOptions = {}): CompiledPattern {
  const normalised = pattern.replace(/[^\x00-\x7F]+/gu, (run) => normaliseText(run, options));
  const RE2 = patternEngine();
  return RE2.compile(normalised, RE2.CASE_INSENSITIVE);
}

/** Text as `matches` reads it (capped and normalised). */
export function patternInput(text: string, options: NormaliseOptions = {}): string {
  return normaliseText(capText(text), options);
}

export function matchesPattern(normalisedText: string, pattern: CompiledPattern): boolean {
  return pattern.test(normalisedText);
}
