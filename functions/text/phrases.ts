import { hasProclitic } from './clitics.js';
import { formalForm } from './informal-forms.js';
import { capText, type NormaliseOptions, normaliseText } from './normalise.js';
import { tokenize, tokenMatches } from './tokenize.js';

/** A phrase as the matcher sees it: the tokens of its normalised form. */
export type PhraseTokens = readonly string[];

function matchingTokens(normalised: string, options: NormaliseOptions): string[] {
  const tokens = tokenize(normalised);
  const table = options.informal;
  if (table === undefined || table.size === 0) return tokens;
  for (let i = 0; i < tokens.length; i++) tokens[i] = formalForm(tokens[i] as string, table);
  return tokens;
}

/** Tokens of an event's text as every text operator reads it: capped, normalised, tokenized, informal words read as formal. */
export function textTokens(text: string, options: NormaliseOptions = {}): string[] {
  return matchingTokens(normaliseText(capText(text), options), options);
}

/** Tokens of a rule's phrase; empty when the phrase holds no word (a validation error upstream). */
export function phraseTokens(phrase: string, options: NormaliseOptions = {}): string[] {
  return matchingTokens(normaliseText(phrase, options), options);
}

/**
 * Whole-word phrase match: the phrase's tokens appear consecutively in the text's tokens. With
 * `clitics`, the text's first word may also be the phrase's first word behind an Arabic or Hebrew
 * prefix ("والتوصيل" holds "التوصيل"; clitics.ts).
 */
export function containsPhrase(tokens: readonly string[], phrase: PhraseTokens, clitics = false): boolean {
  const length = phrase.length;
  if (length === 0 || length > tokens.length) return false;
  const first = phrase[0]!;
  for (let start = 0; start + length <= tokens.length; start++) {
    const token = tokens[start]!;
    if (!tokenMatches(first, token) && !(clitics && hasProclitic(first, token))) continue;
    let offset = 1;
    while (offset < length && tokenMatches(phrase[offset]!, tokens[start + offset]!)) offset++;
    if (offset === length) return true;
  }
  return false;
}

/** `clitics`: for every phrase, or per phrase (a phrase may opt out of its rule's prefixes). */
export function containsAnyPhrase(
  tokens: readonly string[],
  phrases: readonly PhraseTokens[],
  clitics: boolean | readonly boolean[] = false,
): boolean {
  // A loop rather than some(): this runs for every candidate the fold leaves open, and a callback is made per call.
  for (let index = 0; index < phrases.length; index++) {
    if (containsPhrase(tokens, phrases[index] as PhraseTokens, typeof clitics === 'boolean' ? clitics : clitics[index] === true))
      return true;
  }
  return false;
}

export function containsAllPhrases(
  tokens: readonly string[],
  phrases: readonly PhraseTokens[],
  clitics: boolean | readonly boolean[] = false,
): boolean {
  return (
    phrases.length > 0 &&
    phrases.every((phrase, index) => containsPhrase(tokens, phrase, typeof clitics === 'boolean' ? clitics : clitics[index] === true))
  );
}
