/**
 * Proclitics: the letters Arabic and Hebrew attach to the front of a word ("و" and, "ب" with,
 * "ה" the...), so that "والتوصيل" holds the word "التوصيل" and "ובתולדות" the word "תולדות".
 * A post's word matches a phrase's word when it is the phrase's word behind an allowed prefix.
 *
 * The prefixes are data: per language, ordered slots, at most one entry taken from each slot, in
 * order (Arabic: a conjunction, then a preposition; Hebrew: ו, then ש/כש, then a preposition, then
 * ה). The Arabic article ال is never stripped from the post, so a phrase written without it does
 * not match a word with it: "بانيا" does not match inside "البانيا" (Albania). Hebrew's ה is a prefix
 * like the others, as the peers segment it. Where a preposition swallows the article's first letter
 * (ل + الناس = للناس, ב + הבית = בבית), the phrase's article is restored. Stems shorter than
 * MIN_STEM letters are never split off.
 *
 * Tables hold letters as normaliseText writes them (Arabic kaf as ک).
 */

export interface ProcliticTable {
  /** Slots in the order prefixes stack; each slot's entries are alternatives. */
  slots: ReadonlyArray<readonly string[]>;
  /** The article a phrase may start with, and the prefixes after which its first letter is not written. */
  article: { text: string; elided: string; after: readonly string[] };
}

export const PROCLITICS: Readonly<Record<'ar' | 'he', ProcliticTable>> = {
  ar: {
    slots: [
      ['و', 'ف'],
      ['ب', 'ل', 'ک'],
    ],
    article: { text: 'ال', elided: 'ا', after: ['ل'] },
  },
  he: {
    slots: [['ו'], ['ש', 'כש'], ['ב', 'ל', 'כ', 'מ'], ['ה']],
    article: { text: 'ה', elided: 'ה', after: ['ב', 'ל', 'כ'] },
  },
};

/** The shortest stem a prefix is split from: shorter words are too often whole words that start with a prefix letter. */
export const MIN_STEM = 3;

/** Every prefix a table allows (each a nonempty stack of slot entries). */
function stacksOf(table: ProcliticTable): Set<string> {
  let stacks = [''];
  for (const slot of table.slots) stacks = [...stacks, ...stacks.flatMap((stack) => slot.map((entry) => stack + entry))];
  return new Set(stacks.filter((stack) => stack !== ''));
}

const STACKS = { ar: stacksOf(PROCLITICS.ar), he: stacksOf(PROCLITICS.he) };

/** The longest prefix any table allows, in UTF-16 units (for the fold's possible word starts). */
export const MAX_PREFIX_LENGTH = Math.max(...[...STACKS.ar, ...STACKS.he].map((stack) => stack.length)) + 1;

/** The letters prefixes are made of, with the articles' elided letters: a fold may start a word after any run of them. */
export const PREFIX_LETTERS: ReadonlySet<string> = new Set(
  Object.values(PROCLITICS).flatMap((table) => [...table.slots.flat().join(''), table.article.elided]),
);

/** The language whose prefixes a word may carry, by its first letter's script; undefined for other scripts. */
export function procliticLanguage(word: string): 'ar' | 'he' | undefined {
  const code = word.charCodeAt(0);
  if (code >= 0x05d0 && code <= 0x05ea) return 'he';
  if (code >= 0x0620 && code <= 0x06ff) return 'ar';
  return undefined;
}

/** True when `textWord` is `phraseWord` behind a prefix the phrase's language allows (not when they are equal). */
export function hasProclitic(phraseWord: string, textWord: string): boolean {
  // Either way the text word ends with the phrase word's last letter: most words are refused on it, before any slicing.
  if (textWord.length < phraseWord.length || textWord.charCodeAt(textWord.length - 1) !== phraseWord.charCodeAt(phraseWord.length - 1)) {
    return false;
  }
  const language = procliticLanguage(phraseWord);
  if (language === undefined || procliticLanguage(textWord) !== language) return false;
  const stacks = STACKS[language];
  if (phraseWord.length >= MIN_STEM && textWord.endsWith(phraseWord)) {
    if (stacks.has(textWord.slice(0, textWord.length - phraseWord.length))) return true;
  }
  const { article } = PROCLITICS[language];
  if (!phraseWord.startsWith(article.elided) || !phraseWord.startsWith(article.text)) return false;
  const written = phraseWord.slice(article.elided.length);
  if (written.length < MIN_STEM - 1 || !textWord.endsWith(written)) return false;
  const prefix = textWord.slice(0, textWord.length - written.length);
  return stacks.has(prefix) && article.after.some((letter) => prefix.endsWith(letter));
}

/** Every phrase word `textWord` holds behind a prefix: hasProclitic(word, textWord) exactly for these words. */
export function procliticStems(textWord: string): string[] {
  const language = procliticLanguage(textWord);
  if (language === undefined) return [];
  const stacks = STACKS[language];
  const { article } = PROCLITICS[language];
  const stems: string[] = [];
  for (let cut = 1; cut < textWord.length; cut++) {
    const prefix = textWord.slice(0, cut);
    if (!stacks.has(prefix)) continue;
    const rest = textWord.slice(cut);
    if (rest.length >= MIN_STEM && procliticLanguage(rest) === language) stems.push(rest);
    const restored = article.elided + rest;
    if (rest.length >= MIN_STEM - 1 && restored.startsWith(article.text) && article.after.some((letter) => prefix.endsWith(letter))) {
      stems.push(restored);
    }
  }
  return stems;
}
