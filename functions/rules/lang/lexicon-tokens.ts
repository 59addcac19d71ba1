/** Words as the lexicon keeps them; the generator (cli/scripts/lang-lexicon.ts) and detection share it. */

const WORD = /\p{L}+(?:\p{M}+\p{L}*)*/gu;

/** Lower case, NFC, and the Arabic script's yeh and kaf in their Persian and Urdu forms (Persian is often typed with Arabic ones). */
export function normaliseWord(word: string): string {
  return word
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u064A\u0649]/gu, '\u06CC')
    .replace(/\u0643/gu, '\u06A9');
}

export function lexiconTokens(text: string): string[] {
  return (text.match(WORD) ?? []).map(normaliseWord);
}
