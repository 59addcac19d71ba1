import type { CanonicalEvent } from '../../core/event.js';
import type { DetectionStage, TextLanguage } from './detect.js';
import { scriptOfLanguage } from './script.js';

/**
 * What no text-only detector knows: the language the platform says the author uses, the author's
 * recent language, and the channel's configured language. They decide only where the text does not
 * (too short, no telling letters), and only among languages of the text's own script: a Russian
 * locale never turns a Persian word into Russian.
 */

export type LanguageSource = 'text' | 'platform' | 'author' | 'channel';

export interface LanguagePriors {
  /** The language the platform declares for the author (Telegram's `language_code`, Discord's locale). */
  platform?: string;
  /** The language the author's recent posts were detected in. */
  author?: string;
  /** The channel's language from the team config (`language.channels`). */
  channel?: string;
}

export interface ResolvedLanguage {
  lang: string | undefined;
  from: LanguageSource;
  /** Where the text gave it: which of the detector's stages (letters, CLD3, lexicon, fastText). */
  stage?: DetectionStage;
}

/** `en-US` → `en`, `pt_BR` → `pt`; undefined for anything that is not a language tag. */
export function languageOfTag(tag: unknown): string | undefined {
  if (typeof tag !== 'string') return undefined;
  const match = /^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$/i.exec(tag.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

/** The author's language as the platform declares it, from what the normalisers keep in `meta`. */
export function platformLanguage(event: CanonicalEvent): string | undefined {
  const meta = event.meta ?? {};
  // Telegram: the user's app language (message.from.language_code); Discord: the user's client locale.
  return languageOfTag(meta.userLanguage) ?? languageOfTag(meta.locale);
}

const PRIOR_ORDER = ['platform', 'author', 'channel'] as const;

/**
 * The text's answer where it decided; else the first prior (platform, author, channel) written in the
 * text's script; else the text's best guess. Text without letters (emoji, digits) takes any prior.
 */
export function decideLanguage(text: TextLanguage, priors: LanguagePriors): ResolvedLanguage {
  const fromText: ResolvedLanguage =
    text.stage === undefined ? { lang: text.lang, from: 'text' } : { lang: text.lang, from: 'text', stage: text.stage };
  if (text.decisive) return fromText;
  for (const source of PRIOR_ORDER) {
    const lang = priors[source];
    if (lang === undefined) continue;
    if (text.script === undefined || scriptOfLanguage(lang) === text.script) return { lang, from: source };
  }
  return fromText;
}

/** The explain line: `fa (from: author)`, and for the text which stage gave it, `en (from: text, by: fasttext)`. */
export function describeLanguage(resolved: ResolvedLanguage): string {
  const by = resolved.stage === undefined ? '' : `, by: ${resolved.stage}`;
  return `${resolved.lang ?? 'unknown'} (from: ${resolved.from}${by})`;
}
