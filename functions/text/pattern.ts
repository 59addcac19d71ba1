import { RE2JS } from 're2js';
import { capText, type NormaliseOptions, normaliseText } from './normalise.js';

/**
 * `matches`: an RE2 pattern (linear time, so no pattern can hang the evaluator) run on the
 * normalised text, case-insensitively. The pattern's non-ASCII literals are normalised like the text
 * (Arabic letter variants, Hebrew final forms, native digits), so authors may write either form;
 * ASCII is left alone because RE2's syntax is ASCII.
 */
export type CompiledPattern = RE2JS;

/** Compiles a rule's pattern; throws with RE2's own message when RE2 cannot run it. */
export function compilePattern(pattern: string, options: NormaliseOptions = {}): CompiledPattern {
  const normalised = pattern.replace(/[^\x00-\x7F]+/gu, (run) => normaliseText(run, options));
  return RE2JS.compile(normalised, RE2JS.CASE_INSENSITIVE);
}

/** Text as `matches` reads it (capped and normalised). */
export function patternInput(text: string, options: NormaliseOptions = {}): string {
  return normaliseText(capText(text), options);
}

export function matchesPattern(normalisedText: string, pattern: CompiledPattern): boolean {
  return pattern.test(normalisedText);
}
