import { capText, type NormaliseOptions, normaliseText } from './normalise.js';
import { tokenize, tokenMatches } from './tokenize.js';

/** A phrase as the matcher sees it: the tokens of its normalised form. */
export type PhraseTokens = readonly string[];

/** Tokens of an event's text as every text operator reads it: capped, normalised, tokenized. */
export function textTokens(text: string, options: NormaliseOptions = {}): string[] {
  return tokenize(normaliseText(capText(text), options));
}

/** Tokens of a rule's phrase; empty when the phrase holds no word (a validation error upstream). */
export function phraseTokens(phrase: string, options: NormaliseOptions = {}): string[] {
  return tokenize(normaliseText(phrase, options));
}

/** Whole-word phrase match: the phrase's tokens appear consecutively in the text's tokens. */
export function containsPhrase(tokens: readonly string[], phrase: PhraseTokens): boolean {
  const length = phrase.length;
  if (length === 0 || length > tokens.length) return false;
  const first = phrase[0]!;
  for (let start = 0; start + length <= tokens.length; start++) {
    if (!tokenMatches(first, tokens[start]!)) continue;
    let offset = 1;
    while (offset < length && tokenMatches(phrase[offset]!, tokens[start + offset]!)) offset++;
    if (offset === length) return true;
  }
  return false;
}

export function containsAnyPhrase(tokens: readonly string[], phrases: readonly PhraseTokens[]): boolean {
  return phrases.some((phrase) => containsPhrase(tokens, phrase));
}

export function containsAllPhrases(tokens: readonly string[], phrases: readonly PhraseTokens[]): boolean {
  return phrases.length > 0 && phrases.every((phrase) => containsPhrase(tokens, phrase));
}
