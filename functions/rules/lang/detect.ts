import { arabicScriptLanguage, dominantScript, SINGLE_LANGUAGE_SCRIPTS } from './script.js';

/**
 * Language detection for posts whose platform did not say. Scripts that settle the language
 * (Hebrew, Greek, Hangul, …) and the Arabic script (Persian, Arabic, Urdu by their own letters and
 * words) are decided by rules; Latin and Cyrillic text goes to CLD3 (cld3-asm, Google's Compact
 * Language Detector v3 compiled to WebAssembly), loaded on first use. Accuracy on Foghorn's labelled
 * set is in docs/language-detection.md.
 */

export interface Cld3 {
  findLanguage(text: string): { language: string; probability: number; is_reliable: boolean };
}

async function loadCld3(): Promise<Cld3> {
  const { loadModule } = await import('cld3-asm');
  const factory = await loadModule();
  // A social post is short: predict from 1 byte up, read at most 1 KB.
  return factory.create(1, 1024);
}

/** The CLD3 codes that differ from the ones Foghorn uses. */
const CLD3_CODES: Readonly<Record<string, string>> = {
  iw: 'he',
  'bg-Latn': 'bg',
  'ru-Latn': 'ru',
  'zh-Latn': 'zh',
  'ja-Latn': 'ja',
  fil: 'tl',
};

/** At most this much text is read: enough for a confident guess, bounded cost for enormous posts. */
const MAX_DETECT_LENGTH = 1000;
const URL_OR_HANDLE = /(?:https?:\/\/|www\.)\S+|[@#][\p{L}\p{N}_]+/gu;

export type LanguageDetector = (text: string) => Promise<string | undefined>;

/**
 * A detector with its own CLD3 instance, loaded on first need. If CLD3 cannot load (a bundle
 * without its module, no WebAssembly), detection degrades to the script rules instead of failing
 * the evaluation: Cyrillic reads as Russian, other Latin-script text as unknown.
 */
export function createLanguageDetector(options: { loadModel?: () => Promise<Cld3> } = {}): LanguageDetector {
  const loadModel = options.loadModel ?? loadCld3;
  let model: Promise<Cld3 | undefined> | undefined;
  return async (text) => {
    const sample = text.slice(0, MAX_DETECT_LENGTH).replace(URL_OR_HANDLE, ' ');
    const script = dominantScript(sample);
    if (script === undefined) return undefined;
    const single = SINGLE_LANGUAGE_SCRIPTS[script];
    if (single !== undefined) return single;
    if (script === 'arabic') return arabicScriptLanguage(sample);
    if (script === 'cyrillic' && /[іїєґ]/iu.test(sample)) return 'uk';
    // ы and э exist in Russian and Belarusian only; without ў it is Russian.
    if (script === 'cyrillic' && /[ыэ]/iu.test(sample)) return /ў/iu.test(sample) ? 'be' : 'ru';
    model ??= loadModel().catch(() => undefined);
    const cld3 = await model;
    if (!cld3) return script === 'cyrillic' ? 'ru' : undefined;
    const result = cld3.findLanguage(sample);
    const language = CLD3_CODES[result.language] ?? result.language;
    if (language === 'und') return script === 'cyrillic' ? 'ru' : undefined;
    if (script === 'cyrillic' && !result.is_reliable && language !== 'ru') return 'ru';
    return language;
  };
}

/** The shared detector the evaluator uses. */
export const detectLanguage: LanguageDetector = createLanguageDetector();
