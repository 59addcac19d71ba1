import { type MatchSettings, matchOptions } from './match-options.js';
import type { NormaliseOptions } from './normalise.js';
import { containsPhrase, phraseTokens, textTokens } from './phrases.js';

/**
 * How often a rule's phrase matches the ways people write it, per language and category, with the
 * script-wide fold alone and with the per-language layer (prefixes, Persian spacing, letter variants,
 * hamza, Turkic casing, informal forms): what `npm run text:match-rates` prints.
 */

/** A post and a rule's phrase, and whether the rule must fire on it. */
export interface MatchCase {
  lang: string;
  category: string;
  phrase: string;
  post: string;
  fires: boolean;
  match?: MatchSettings;
  source?: string;
}

export interface MatchRate {
  lang: string;
  category: string;
  cases: number;
  /** Cases answered right (fires when it must, stays silent when it must) by the fold alone, and by the layer. */
  foldAlone: number;
  layer: number;
}

/** Whether the case's rule fires: with its `match:` settings through the whole layer, or with the fold alone. */
export function caseFires(peer: Pick<MatchCase, 'phrase' | 'post' | 'match'>, withLayer: boolean): boolean {
  const options = withLayer ? matchOptions(peer.match) : foldAloneOptions(peer.match);
  const clitics = withLayer && options.clitics !== false && !(options.cliticsOff ?? []).includes(peer.phrase);
  return containsPhrase(textTokens(peer.post, options), phraseTokens(peer.phrase, options), clitics);
}

const foldAlone = new Map<string, NormaliseOptions>();

/** The normalisation before the layer: the rule's accent and teh marbuta choices, nothing per language. */
function foldAloneOptions(settings: MatchSettings = {}): NormaliseOptions {
  const key = `${settings.accents}|${settings.tehMarbuta}`;
  let options = foldAlone.get(key);
  if (options === undefined) {
    options = { accents: settings.accents ?? 'ignore', unifyTehMarbuta: settings.tehMarbuta === 'unify', clitics: false, layer: false };
    foldAlone.set(key, options);
  }
  return options;
}

/** Rates per language and category, in the order they first appear. */
export function measureMatchRates(cases: readonly MatchCase[]): MatchRate[] {
  const rows = new Map<string, MatchRate>();
  for (const peer of cases) {
    const key = `${peer.lang}\u0000${peer.category}`;
    let row = rows.get(key);
    if (row === undefined) rows.set(key, (row = { lang: peer.lang, category: peer.category, cases: 0, foldAlone: 0, layer: 0 }));
    row.cases++;
    if (caseFires(peer, false) === peer.fires) row.foldAlone++;
    if (caseFires(peer, true) === peer.fires) row.layer++;
  }
  return [...rows.values()];
}

/** The rates per language (all its categories together), in the order the languages first appear. */
export function ratesByLanguage(rows: readonly MatchRate[]): MatchRate[] {
  const byLang = new Map<string, MatchRate>();
  for (const row of rows) {
    const total = byLang.get(row.lang) ?? { lang: row.lang, category: 'all', cases: 0, foldAlone: 0, layer: 0 };
    byLang.set(row.lang, total);
    total.cases += row.cases;
    total.foldAlone += row.foldAlone;
    total.layer += row.layer;
  }
  return [...byLang.values()];
}

/** A Markdown table of rates: language, category, cases, percent right with the fold alone and with the layer. */
export function matchRatesTable(rows: readonly MatchRate[]): string {
  const lines = [
    '| language | category | cases | fold alone | with the layer |',
    '|---|---|---|---|---|',
    ...rows.map(
      (row) => `| ${row.lang} | ${row.category} | ${row.cases} | ${percent(row.foldAlone, row.cases)} | ${percent(row.layer, row.cases)} |`,
    ),
  ];
  const cases = rows.reduce((sum, row) => sum + row.cases, 0);
  const before = rows.reduce((sum, row) => sum + row.foldAlone, 0);
  const after = rows.reduce((sum, row) => sum + row.layer, 0);
  lines.push(`| **all** | | ${cases} | ${percent(before, cases)} | ${percent(after, cases)} |`);
  return lines.join('\n');
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`;
}

/**
 * Cases from a JSON document: `{ "cases": [ { lang, category, phrase, post, fires, match?, source? } ] }`.
 * Throws an Error naming the case and the field at fault.
 */
export function parseMatchCases(document: unknown, where: string): MatchCase[] {
  const list = (document as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(list)) throw new Error(`${where}: expected { "cases": [ … ] }`);
  return list.map((item, index) => {
    const at = `${where}: cases[${index}]`;
    if (item === null || typeof item !== 'object') throw new Error(`${at} is not an object`);
    const peer = item as Record<string, unknown>;
    for (const field of ['lang', 'category', 'phrase', 'post'] as const) {
      if (typeof peer[field] !== 'string' || peer[field] === '') throw new Error(`${at}.${field} must be a non-empty string`);
    }
    if (typeof peer.fires !== 'boolean') throw new Error(`${at}.fires must be true or false`);
    if (peer.match !== undefined && (peer.match === null || typeof peer.match !== 'object')) {
      throw new Error(`${at}.match must be an object of match: settings`);
    }
    return item as MatchCase;
  });
}

/**
 * Rows of the shared peer sample's expected.jsonl that name a phrase, a language and a category
 * (`{ text, phrase, lang, category, fires: [rule ids], source }`), as cases; other rows are skipped.
 */
export function peerSampleCases(jsonl: string): MatchCase[] {
  const cases: MatchCase[] = [];
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as Record<string, unknown>;
    const { text, phrase, lang, category, fires, source } = row;
    if (typeof text !== 'string' || typeof phrase !== 'string' || typeof lang !== 'string' || typeof category !== 'string') continue;
    cases.push({
      lang,
      category,
      phrase,
      post: text,
      fires: Array.isArray(fires) && fires.length > 0,
      ...(typeof source === 'string' ? { source } : {}),
    });
  }
  return cases;
}
