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
    if (count > bestCount) {
      best = name;
      bestCount = count;
    }
  }
  // Japanese mixes kana with Han; any kana at all means Japanese.
  if (best === 'han' && (text.match(SCRIPTS[6]![1])?.length ?? 0) > 0) return 'kana';
  return best;
}

/** Languages a script alone decides. */
export const SINGLE_LANGUAGE_SCRIPTS: Readonly<Record<string, string>> = {
  hebrew: 'he',
  greek: 'el',
  hangul: 'ko',
  kana: 'ja',
  han: 'zh',
  thai: 'th',
  armenian: 'hy',
  georgian: 'ka',
};

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

const URDU_LETTERS = /[\u0679\u0688\u0691\u06BA\u06BE\u06C1\u06C3\u06D2\u06D3]/gu; // ٹ ڈ ڑ ں ھ ہ ۃ ے ۓ
const PERSIAN_LETTERS = /[\u067E\u0686\u0698\u06AF]/gu; // پ چ ژ گ (also used in Urdu, ruled out first)
const TEH_MARBUTA = /\u0629/gu; // ة: Arabic grammar; in Persian only inside Arabic loanwords
const ALEF_MAKSURA = /\u0649/gu; // ى
// ي and ك versus ی and ک say which keyboard was used more than which language: Persian is often
// typed on Arabic keyboards. They count, but little.
const ARABIC_KEYBOARD_FORMS = /[\u064A\u0643]/gu;
const PERSIAN_KEYBOARD_FORMS = /[\u06CC\u06A9]/gu;
// Letters and marks of the Arabic script (its punctuation, such as ؟ and ،, shares the block).
const WORD = /(?:(?=\p{Script=Arabic})[\p{L}\p{M}])+/gu;

/** Word lists are kept in normalised form (ی ک, no harakat), and text words are normalised before lookup. */
function normalisedSet(words: string): ReadonlySet<string> {
  return new Set(words.split(' ').map((word) => unifyLetters(word)));
}

function unifyLetters(word: string): string {
  return word
    .replace(/[\u064A\u0649]/gu, '\u06CC')
    .replace(/\u0643/gu, '\u06A9')
    .replace(/[\u0623\u0625\u0622]/gu, '\u0627')
    .replace(/[\u064B-\u065F\u0640]/gu, '');
}

const PERSIAN_WORDS = normalisedSet(
  'است این را که برای از با شما ما چه چرا کی هست نیست هستید بود شد کنید کنم کرد دارید دارد داشتم لطفا خیلی ممنون سلام به هم یک تا اگر ولی چطور کجاست درباره آیا',
);
const ARABIC_WORDS = normalisedSet(
  'في على هل لا ما هذا هذه أن إلى عن مع كان لم لن قد التي الذي متى كيف لماذا أين أنا نحن شكرا جدا أريد يمكن لكن ثم',
);
const URDU_WORDS = normalisedSet('ہے ہیں کے کی کا میں نہیں اور کو سے ہو کیا آپ یہ وہ گیا گئی رہا رہی کر لیے');

/** Persian, Arabic or Urdu, from letters and the commonest words each language has and the others lack. */
export function arabicScriptLanguage(text: string): 'fa' | 'ar' | 'ur' {
  let urdu = 4 * countMatches(text, URDU_LETTERS);
  let persianWords = 0;
  let arabicWords = 0;
  for (const raw of text.match(WORD) ?? []) {
    const word = unifyLetters(raw);
    if (URDU_WORDS.has(word)) urdu += 2;
    if (PERSIAN_WORDS.has(word)) persianWords += 2;
    if (ARABIC_WORDS.has(word)) arabicWords += 2;
    if (word.length > 3 && word.startsWith('ال')) arabicWords += 1;
    // Persian verbs: the می / نمی prefix (written with or without the half-space).
    if (word === 'می' || word === 'نمی' || /^ن?می\p{L}{2,}/u.test(word)) persianWords += 1;
  }
  // Urdu shares Persian's letters پ چ ژ گ and its ی ک, so only Urdu's own letters and words
  // weigh against Persian's words here.
  if (urdu > 0 && urdu >= persianWords) return 'ur';
  const fa = persianWords + 4 * countMatches(text, PERSIAN_LETTERS) + 0.5 * countMatches(text, PERSIAN_KEYBOARD_FORMS);
  const ar =
    arabicWords + 2 * countMatches(text, TEH_MARBUTA) + countMatches(text, ALEF_MAKSURA) + 0.5 * countMatches(text, ARABIC_KEYBOARD_FORMS);
  return fa >= ar ? 'fa' : 'ar';
}
