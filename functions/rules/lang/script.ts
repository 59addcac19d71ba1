/**
 * Script-level language decisions: fast, deterministic, and more reliable than n-gram models on
 * short posts where a script's own letters settle the question (Hebrew, Persian vs Arabic vs Urdu).
 */

const SCRIPTS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  ['arabic', /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/gu],
  ['hebrew', /[\u0590-\u05FF\uFB1D-\uFB4F]/gu],
  ['cyrillic', /\p{Script=Cyrillic}/gu],
  ['latin', /\p{Script=Latin}/gu],
  ['greek', /\p{Script=Greek}/gu],
  ['hangul', /\p{Script=Hangul}/gu],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/gu],
  ['han', /\p{Script=Han}/gu],
  ['thai', /\p{Script=Thai}/gu],
  ['devanagari', /\p{Script=Devanagari}/gu],
  ['armenian', /\p{Script=Armenian}/gu],
  ['georgian', /\p{Script=Georgian}/gu],
];

/** The script most of the letters are in, or undefined for text without letters. */
export function dominantScript(text: string): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [name, pattern] of SCRIPTS) {
    const count = text.match(pattern)?.length ?? 0;
    if (count > bestCount) { best = name; bestCount = count; }
  }
  // Japanese mixes kana with Han; any kana at all means Japanese.
  if (best === 'han' && (text.match(SCRIPTS[6]![1])?.length ?? 0) > 0) return 'kana';
  return best;
}

/** Languages a script alone decides. */
export const SINGLE_LANGUAGE_SCRIPTS: Readonly<Record<string, string>> = {
  hebrew: 'he', greek: 'el', hangul: 'ko', kana: 'ja', han: 'zh', thai: 'th', armenian: 'hy', georgian: 'ka',
};

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

const URDU_LETTERS = /[\u0679\u0688\u0691\u06BA\u06BE\u06C1\u06C3\u06D2\u06D3]/gu; // ٹ ڈ ڑ ں ھ ہ ۃ ے ۓ
const PERSIAN_LETTERS = /[\u067E\u0686\u0698\u06AF]/gu; // پ چ ژ گ (also used in Urdu, ruled out first)
const PERSIAN_FORMS = /[\u06CC\u06A9]/gu; // ی ک: Persian keyboard forms
const ARABIC_FORMS = /[\u064A\u0643\u0629\u0649]/gu; // ي ك ة ى
const WORD = /[\u0600-\u06FF]+/gu;
const PERSIAN_WORDS = new Set(['است', 'این', 'را', 'که', 'برای', 'از', 'با', 'شما', 'ما', 'من', 'چه', 'چرا', 'کی', 'هست', 'نیست', 'می', 'رو', 'هم', 'یک', 'تا', 'بود', 'شد', 'کنید', 'دارید', 'لطفا', 'خیلی', 'ممنون', 'سلام']);
const ARABIC_WORDS = new Set(['في', 'من', 'على', 'هل', 'لا', 'ما', 'هذا', 'هذه', 'أن', 'إلى', 'عن', 'مع', 'كان', 'لم', 'قد', 'التي', 'الذي', 'متى', 'كيف', 'لماذا', 'أين', 'أنا', 'نحن', 'شكرا', 'جدا', 'أريد']);
const URDU_WORDS = new Set(['ہے', 'ہیں', 'کے', 'کی', 'کا', 'میں', 'نہیں', 'اور', 'کو', 'سے', 'ہو', 'کیا', 'آپ', 'یہ', 'وہ', 'گیا', 'گئی', 'رہا', 'رہی', 'کر', 'لیے']);

/** Persian, Arabic or Urdu, from letters and the commonest words each language has and the others lack. */
export function arabicScriptLanguage(text: string): 'fa' | 'ar' | 'ur' {
  let fa = 3 * countMatches(text, PERSIAN_LETTERS) + countMatches(text, PERSIAN_FORMS);
  let ar = 2 * countMatches(text, ARABIC_FORMS);
  let ur = 4 * countMatches(text, URDU_LETTERS);
  for (const word of text.match(WORD) ?? []) {
    if (URDU_WORDS.has(word)) ur += 2;
    if (PERSIAN_WORDS.has(word)) fa += 2;
    if (ARABIC_WORDS.has(word)) ar += 2;
    if (word.length > 3 && word.startsWith('ال')) ar += 1;
  }
  // Urdu shares Persian's letters and ی ک; its own letters and words decide first.
  if (ur > 0 && ur >= fa && ur >= ar) return 'ur';
  return fa >= ar ? 'fa' : 'ar';
}
