/** Words as the lexicon keeps them; the generator (cli/scripts/lang-lexicon.ts) and detection share it. */
import { hasTurkicCasing, lowerCase } from './latin.js';

const WORD = /\p{L}+(?:\p{M}+\p{L}*)*/gu;

/**
 * Lower case (with `turkic`, as Turkish and Azerbaijani lower-case: I as ı, İ as i), NFC, and the Arabic script's yeh
 * and kaf in their Persian and Urdu forms (Persian is often typed with Arabic ones).
 */
export function normaliseWord(word: string, turkic = false): string {
  return lowerCase(word.normalize('NFC'), turkic)
    .replace(/[\u064A\u0649]/gu, '\u06CC')
    .replace(/\u0643/gu, '\u06A9');
}

/** The words of `text` as the lexicon keeps them, lower-cased the Turkish way with `turkic`. */
export function lexiconTokens(text: string, turkic = false): string[] {
  return (text.match(WORD) ?? []).map((word) => normaliseWord(word, turkic));
}

/** The words of a word list of `lang`'s as the lexicon keeps them: Turkish and Azerbaijani lists lower-case I as ı. */
export function listTokens(text: string, lang: string): string[] {
  return lexiconTokens(text, hasTurkicCasing(lang));
}
