/**
 * Letters that settle a Latin-script text between the model's neighbours: dotless ı, dotted İ and ğ are
 * written only in Turkish and Azerbaijani (and a few smaller Turkic languages), and ə marks
 * Azerbaijani. A model that names Hungarian, Icelandic or Kurdish for a word with ı, İ or ğ is
 * guessing from too little text.
 */

import { TURKIC_LANGUAGES, turkicLowerCase } from '../../text/index.js';

const TURKIC_LETTERS = /[ıİğĞ]/u;
const SCHWA = /[əƏ]/u;

/** `lang`, or Turkish (Azerbaijani with ə) when the text has ı, İ or ğ and the model named neither. */
export function withTurkicLetters(lang: string, text: string): string {
  if (lang === 'tr' || lang === 'az' || !TURKIC_LETTERS.test(text)) return lang;
  return SCHWA.test(text) ? 'az' : 'tr';
}

/**
 * Turkish for text with ə, or with a word that has q or x beside a Turkic letter (oxumadı, qapıları), is Azerbaijani:
 * the two share many words, the alphabets not ə, q and x (a Turkish post writes them only in foreign names: Xbox).
 */
export function withSchwa(lang: string, text: string): string {
  return lang === 'tr' && (SCHWA.test(text) || AZERBAIJANI_QX.test(text)) ? 'az' : lang;
}

// A word with q or x and one of ç ğ ı ö ş ü, either side.
const AZERBAIJANI_QX = /[qxQX]\p{L}*[çğıöşüÇĞİÖŞÜ]|[çğıöşüÇĞİÖŞÜ]\p{L}*[qxQX]/u;

// ş (and Ş): Turkish, Azerbaijani, Turkmen and Kurmanji write it, and Romanian typed with the old cedilla form of ș.
const SH_CEDILLA = /[şŞ]/u;
export const SH_CEDILLA_LANGUAGES: ReadonlySet<string> = new Set(['tr', 'az', 'tk', 'ku', 'ro']);

/**
 * Whether the text has ş while `lang`'s alphabet has none: then a model that named `lang` may have read a Turkish
 * sentence as Basque or Hungarian, and the n-gram models are asked (a Turkish name in an English sentence stays
 * English there).
 */
export function doubtsShCedilla(lang: string, text: string): boolean {
  return !SH_CEDILLA_LANGUAGES.has(lang) && SH_CEDILLA.test(text);
}

const TURKIC_CASING = new Set(TURKIC_LANGUAGES);
const CAPITAL_I = /I/u;
const CAPITAL_DOTTED_I = /\u0130/u;

/** Whether `lang` lower-cases I as ı (Turkish, Azerbaijani). */
export function hasTurkicCasing(lang: string): boolean {
  return TURKIC_CASING.has(lang);
}

/**
 * How Turkish and Azerbaijani read the text's capitals: with a capital İ in it, only as they lower-case (`turkic`: I as
 * ı, 'ŞARKICIYI' is şarkıcıyı); with I and no İ, that way or as every other language does (`plain`: capitals typed where
 * the keyboard has no İ write I for both); with neither, as every other language (the two readings are one).
 */
export function turkicCasings(text: string): { turkic: boolean; plain: boolean } {
  if (CAPITAL_DOTTED_I.test(text)) return { turkic: true, plain: false };
  return { turkic: CAPITAL_I.test(text), plain: true };
}

/**
 * `text` in lower case: with `turkic`, as Turkish and Azerbaijani lower-case it (I as ı, İ as i: 'IRAK' is ırak and
 * 'İade' iade), otherwise as every other language (I as i, İ as i with a dot above).
 */
export function lowerCase(text: string, turkic: boolean): string {
  return turkic ? turkicLowerCase(text) : text.toLowerCase();
}
