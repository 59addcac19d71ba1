/**
 * Informal spellings people write for formal words, per language, applied to words for matching
 * only (a reply's text is never changed): with them, a rule for "می‌روم" fires on "می‌رم". Persian
 * first, after the pairs Hazm's informal normaliser maps (roshan-research/hazm,
 * hazm/informal_normalizer.py); a team adds its own under `matching.informal` in foghorn.config.yaml.
 * Keys and values are written as normaliseText writes them (no ZWNJ, Persian yeh and kaf).
 */
export const DEFAULT_INFORMAL: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  fa: {
    میرم: 'میروم',
    میری: 'میروی',
    میره: 'میرود',
    میریم: 'میرویم',
    میرن: 'میروند',
    میخوام: 'میخواهم',
    میخوای: 'میخواهی',
    میخواد: 'میخواهد',
    نمیخوام: 'نمیخواهم',
    میدونم: 'میدانم',
    نمیدونم: 'نمیدانم',
    میتونم: 'میتوانم',
    نمیتونم: 'نمیتوانم',
    میگم: 'میگویم',
    میگه: 'میگوید',
    میشه: 'میشود',
    نمیشه: 'نمیشود',
    خونه: 'خانه',
    واسه: 'برای',
    یه: 'یک',
  },
};

/** A word's formal form under `table` (informal → formal), or the word itself. */
export function formalForm(word: string, table: ReadonlyMap<string, string> | undefined): string {
  return table?.get(word) ?? word;
}

/** Every word `table` reads as the same formal word as `word` (itself included): what a phrase's word may be written as. */
export function spellingsOf(word: string, table: ReadonlyMap<string, string> | undefined): string[] {
  if (table === undefined) return [word];
  const formal = formalForm(word, table);
  const spellings = [formal];
  for (const [informal, target] of table) if (target === formal) spellings.push(informal);
  return spellings;
}
