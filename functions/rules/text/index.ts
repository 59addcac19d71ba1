/**
 * The text layer of the rule language: normalisation, tokens and the three text operators.
 * Pure and deterministic; the compiled matcher (issue 6) builds on exactly these functions.
 */
export { capText, MAX_MATCH_TEXT_LENGTH, type NormaliseOptions, normaliseText } from './normalise.js';
export { tokenize, tokenKeys, tokenMatches } from './tokenize.js';
export { containsAllPhrases, containsAnyPhrase, containsPhrase, type PhraseTokens, phraseTokens, textTokens } from './phrases.js';
export { type CompiledPattern, compilePattern, matchesPattern, patternInput } from './pattern.js';
