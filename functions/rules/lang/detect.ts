/**
 * Language detection for posts whose platform did not say. Placeholder until measured: script
 * heuristics only (see docs/language-detection.md for the chosen library and its accuracy).
 */
export function detectLanguage(text: string): string | undefined {
  if (/[پچژگ]/u.test(text)) return 'fa';
  if (/[\u0600-\u06FF]/u.test(text)) return /[ک]|[ی]/u.test(text) ? 'fa' : 'ar';
  if (/[\u0590-\u05FF]/u.test(text)) return 'he';
  if (/[\u0400-\u04FF]/u.test(text)) return 'ru';
  if (/[a-z]/iu.test(text)) return 'en';
  return undefined;
}
