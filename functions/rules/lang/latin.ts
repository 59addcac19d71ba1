/**
 * Letters that settle a Latin-script text between the model's neighbours: dotless ı, dotted İ and ğ are
 * written only in Turkish and Azerbaijani (and a few smaller Turkic languages), and ə marks
 * Azerbaijani. A model that names Hungarian, Icelandic or Kurdish for a word with ı, İ or ğ is
 * guessing from too little text.
 */

const TURKIC_LETTERS = /[ıİğĞ]/u;
const SCHWA = /[əƏ]/u;

/** `lang`, or Turkish (Azerbaijani with ə) when the text has ı, İ or ğ and the model named neither. */
export function withTurkicLetters(lang: string, text: string): string {
  if (lang === 'tr' || lang === 'az' || !TURKIC_LETTERS.test(text)) return lang;
  return SCHWA.test(text) ? 'az' : 'tr';
}

/** A lexicon's Turkish for text with ə is Azerbaijani: the word lists share many words, the alphabets not ə. */
export function withSchwa(lang: string, text: string): string {
  return lang === 'tr' && SCHWA.test(text) ? 'az' : lang;
}

// ş (and Ş): Turkish, Azerbaijani, Turkmen and Kurmanji write it, and Romanian typed with the old cedilla form of ș.
const SH_CEDILLA = /[şŞ]/u;
const SH_CEDILLA_LANGUAGES = new Set(['tr', 'az', 'tk', 'ku', 'ro']);

/**
 * Whether the text has ş while `lang`'s alphabet has none: then a model that named `lang` may have read a Turkish
 * sentence as Basque or Hungarian, and the n-gram models are asked (a Turkish name in an English sentence stays
 * English there).
 */
export function doubtsShCedilla(lang: string, text: string): boolean {
  return !SH_CEDILLA_LANGUAGES.has(lang) && SH_CEDILLA.test(text);
}
