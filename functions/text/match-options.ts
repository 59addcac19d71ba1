import { DEFAULT_INFORMAL } from './informal-forms.js';
import { DEFAULT_COMPOUND_FORMS, type NormaliseOptions, normaliseText } from './normalise.js';

/** A rule's `match:` settings, as the rule schema gives them. */
export interface MatchSettings {
  accents?: 'ignore' | 'match';
  tehMarbuta?: 'distinct' | 'unify';
  hamza?: 'distinct' | 'unify';
  /** Arabic/Hebrew prefixes: on (default), off, or off for the listed phrases only. */
  clitics?: 'on' | 'off' | { off: readonly string[] };
  informal?: 'on' | 'off';
  /** The language the rule's phrases are written in, when the script does not say (tr, az: Turkic casing). */
  lang?: string;
}

/** The team's additions from foghorn.config.yaml's `matching:` section. */
export interface MatchingLists {
  compounds?: readonly string[];
  informal?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Languages that lower-case I as ı and İ as i: a rule's `lang`, or the post's when the rule has none. */
export const TURKIC_LANGUAGES: readonly string[] = ['tr', 'az'];
const TURKIC = new Set(TURKIC_LANGUAGES);
/** Languages whose proclitics clitics.ts knows; a rule written in another language does not strip them. */
const WITH_PROCLITICS = new Set(['ar', 'he']);

const NO_LISTS: MatchingLists = {};
/** Rules share a few settings and one team's lists: each combination is built once (the lists normalised once). */
const built = new WeakMap<MatchingLists, Map<string, NormaliseOptions>>();

/** The normalisation a rule's text operators use, from its `match:` and the team's lists. */
export function matchOptions(settings: MatchSettings = {}, lists: MatchingLists = NO_LISTS): NormaliseOptions {
  let bySettings = built.get(lists);
  if (bySettings === undefined) built.set(lists, (bySettings = new Map()));
  const key = JSON.stringify([settings.accents, settings.tehMarbuta, settings.hamza, settings.clitics, settings.informal, settings.lang]);
  let options = bySettings.get(key);
  if (options === undefined) bySettings.set(key, (options = buildOptions(settings, lists)));
  return options;
}

function buildOptions(settings: MatchSettings, lists: MatchingLists): NormaliseOptions {
  const lang = settings.lang?.toLowerCase().split('-')[0];
  const base: NormaliseOptions = {
    accents: settings.accents ?? 'ignore',
    unifyTehMarbuta: settings.tehMarbuta === 'unify',
    unifyHamza: settings.hamza === 'unify',
    turkicCasing: lang !== undefined && TURKIC.has(lang),
    clitics: settings.clitics !== 'off' && (lang === undefined || WITH_PROCLITICS.has(lang)),
    ...(lang === undefined ? {} : { lang }),
  };
  const compounds = [
    ...DEFAULT_COMPOUND_FORMS,
    ...(lists.compounds ?? []).map((compound) => normaliseText(compound, { ...base, compounds: [] })),
  ];
  const cliticsOff = typeof settings.clitics === 'object' ? [...settings.clitics.off] : [];
  const options: NormaliseOptions = {
    ...base,
    compounds: [...new Set(compounds)].sort(),
    ...(cliticsOff.length > 0 ? { cliticsOff } : {}),
  };
  if (settings.informal === 'off') return options;
  const informal = new Map<string, string>();
  for (const source of [DEFAULT_INFORMAL, lists.informal ?? {}]) {
    for (const [language, pairs] of Object.entries(source)) {
      if (lang !== undefined && language !== lang) continue;
      for (const [word, formal] of Object.entries(pairs)) {
        const from = normaliseText(word, options);
        const to = normaliseText(formal, options);
        // One word each way, and never a chain (a formal word is no informal one): formalForm is then idempotent.
        if (from !== '' && to !== '' && from !== to && !from.includes(' ') && !to.includes(' ')) informal.set(from, to);
      }
    }
  }
  for (const [from, to] of informal) if (informal.has(to)) informal.delete(from);
  return informal.size === 0 ? options : { ...options, informal };
}

const turkic = new WeakMap<NormaliseOptions, NormaliseOptions>();

/** The same options with Turkish and Azerbaijani casing: for a rule without `lang`, on a post in one of those languages. */
export function withTurkicCasing(options: NormaliseOptions): NormaliseOptions {
  if (options.turkicCasing === true) return options;
  let variant = turkic.get(options);
  if (variant === undefined) turkic.set(options, (variant = { ...options, turkicCasing: true }));
  return variant;
}

/**
 * Whether the post's language can change what these options read: the rule gives no `lang`, and accents are
 * kept (with accents ignored, ı reads as i and the dot of İ is dropped, so both casings give the same text).
 */
export function casingFollowsPost(options: NormaliseOptions): boolean {
  return options.lang === undefined && options.turkicCasing !== true && options.accents === 'match';
}

const keys = new WeakMap<NormaliseOptions, string>();

/** A short stable key for a set of options: equal options, equal keys (caches and saved phrase tokens use it). */
export function matchOptionsKey(options: NormaliseOptions): string {
  let key = keys.get(options);
  if (key === undefined) keys.set(options, (key = computeKey(options)));
  return key;
}

function computeKey(options: NormaliseOptions): string {
  const lists = `${(options.compounds ?? DEFAULT_COMPOUND_FORMS).join('\u0001')}\u0002${[...(options.informal ?? [])].map((pair) => pair.join('\u0001')).join('\u0002')}`;
  return [
    options.accents ?? 'ignore',
    options.unifyTehMarbuta ? 'unify' : 'distinct',
    options.unifyHamza ? 'hamza' : '',
    options.turkicCasing ? 'turkic' : '',
    options.clitics === false ? 'whole' : 'clitics',
    digest(lists),
    ...(options.layer === false ? ['fold-only'] : []),
  ].join('|');
}

/** FNV-1a twice (two seeds), 64 bits in hex: enough to tell lists apart, and pure. */
function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x0100019d) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
