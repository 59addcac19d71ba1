/**
 * Text as the rule language reads it: normalisation, tokens, phrases and patterns, and lengths as
 * platforms count them (with cuts that fit a limit). A leaf library,
 * pure and deterministic: the rules, the compiled matcher and the outgoing guard all build on
 * exactly these functions, so they agree on what a text contains.
 */

export { hasProclitic, MAX_PREFIX_LENGTH, MIN_STEM, PREFIX_LETTERS, PROCLITICS, procliticLanguage, procliticStems } from './clitics.js';
export { ELLIPSIS, splitText, type TextLimit, truncateText } from './fit-text.js';
export { DEFAULT_INFORMAL, formalForm, spellingsOf } from './informal-forms.js';
export {
  casingFollowsPost,
  type MatchingLists,
  type MatchSettings,
  matchOptions,
  matchOptionsKey,
  TURKIC_LANGUAGES,
  withTurkicCasing,
} from './match-options.js';
export { capText, DEFAULT_COMPOUND_FORMS, MAX_MATCH_TEXT_LENGTH, type NormaliseOptions, normaliseText } from './normalise.js';
export {
  type CompiledPattern,
  compilePattern,
  loadPatternEngine,
  matchesPattern,
  patternEngineLoaded,
  patternInput,
} from './pattern.js';
export { beforeFolding, DEFAULT_COMPOUNDS, JOINED_WORDS, joinAffixes } from './persian-spacing.js';
export { containsAllPhrases, containsAnyPhrase, containsPhrase, type PhraseTokens, phraseTokens, textTokens } from './phrases.js';
export { graphemes, type TextCount, textLength } from './text-length.js';
export { tokenize, tokenKeys, tokenMatches } from './tokenize.js';
export { turkicLowerCase } from './turkic-lower-case.js';
export { X_MAX_WEIGHTED_LENGTH, X_URL_WEIGHT } from './x-weighted-length.js';
