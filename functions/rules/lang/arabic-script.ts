/**
 * Persian, Arabic or Urdu, from the letters, marks, prefixes and commonest words each has and the
 * others lack or rarely use. n-gram models (CLD3 included) do poorly here on short text: most letters
 * are shared, so a word without telling letters is a coin toss for them, and used to default to
 * Persian. The scores below count evidence only; with none, the text does not decide.
 */

export type ArabicScriptLanguage = 'fa' | 'ar' | 'ur';
export type ArabicScriptScores = Record<ArabicScriptLanguage, number>;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

// ٹ ڈ ڑ ں ھ ہ ۃ ے ۓ and the Urdu full stop ۔: Urdu's own.
const URDU_LETTERS = /[\u0679\u0688\u0691\u06BA\u06BE\u06C1\u06C3\u06D2\u06D3\u06D4]/gu;
// ژ is Persian's (Urdu has it only in a few loans); پ چ گ are Persian's and Urdu's, never Arabic's.
const ZHE = /\u0698/gu;
const PERSIAN_URDU_LETTERS = /[\u067E\u0686\u06AF]/gu;
// ی and ک are how Persian and Urdu write yeh and kaf; ي and ك are Arabic's. Persian is sometimes
// typed on an Arabic keyboard, so the Arabic forms count less than the others.
const PERSIAN_URDU_FORMS = /[\u06CC\u06A9]/gu;
const ARABIC_FORMS = /[\u064A\u0643]/gu;
// ه: Persian and Arabic write h with it; Urdu writes ہ or ھ.
const HEH = /\u0647/gu;
// The ezafe written on heh (ۀ, or ه with hamza above): Persian's.
const EZAFE = /\u06C0|\u0647\u0654/gu;
// A word ending in ه: in Persian a common ending (خانه، داشته); Arabic writes that ending ة.
const FINAL_HEH = /\u0647$/u;
// ة ى أ إ ؤ: Arabic grammar and spelling; in Persian and Urdu only inside Arabic loanwords.
const ARABIC_LETTERS = /[\u0629\u0649\u0623\u0625\u0624]/gu;
// Damma, kasra, their tanween, shadda and sukun: Arabic text is vocalised, Persian and Urdu rarely.
// (Tanween fatha is left out: Persian and Urdu keep it in loans such as تقریباً.)
const ARABIC_MARKS = /[\u064C\u064D\u064F\u0650\u0651\u0652]/gu;
// Letters and marks of the Arabic script (its punctuation, such as ؟ and ،, shares the block).
const WORD = /(?:(?=\p{Script=Arabic})[\p{L}\p{M}])+/gu;
// The article with a proclitic before it (وال، بال، فال، كال، لل): Arabic only.
const ARABIC_PROCLITIC_ARTICLE = /^(?:[وفبك]ال|لل)\p{L}{2,}/u;
// Persian بالا (up, above) and its forms read like ب + ال + a word, and are among Persian's commonest words.
const PERSIAN_BALA = /^بالا(?:ی|یی|ئی|تر|ترین|خره)?$/u;

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
  'است این را که برای از با شما ما چه چرا کی هست نیست هستید بود شد کنید کنم کرد دارید دارد داشتم لطفا خیلی ممنون سلام به هم یک تا اگر ولی چطور کجاست درباره آیا ' +
    'او آن دو سه هر همه باید شده کرده بوده داشته خود روی زیر پس نه بالا',
);
const ARABIC_WORDS = normalisedSet(
  'في على هل لا ما هذا هذه أن إلى عن مع كان لم لن قد التي الذي متى كيف لماذا أين أنا نحن شكرا جدا أريد يمكن لكن ثم',
);
const URDU_WORDS = normalisedSet('ہے ہیں کے کی کا میں نہیں اور کو سے ہو کیا آپ یہ وہ گیا گئی رہا رہی کر لیے لئے ایک بہت تھا تھی ہوا پر اس');

/** The evidence for each of the three languages in `text` (0 each: nothing tells them apart). */
export function arabicScriptScores(text: string): ArabicScriptScores {
  const scores: ArabicScriptScores = { fa: 0, ar: 0, ur: 0 };
  scores.ur += 4 * count(text, URDU_LETTERS);
  scores.fa += 4 * (count(text, ZHE) + count(text, EZAFE));
  const shared = count(text, PERSIAN_URDU_LETTERS);
  scores.fa += 2 * shared;
  scores.ur += 2 * shared;
  const persianUrduForms = count(text, PERSIAN_URDU_FORMS);
  scores.fa += persianUrduForms;
  scores.ur += persianUrduForms;
  scores.ar += 0.75 * count(text, ARABIC_FORMS);
  const heh = count(text, HEH);
  scores.fa += heh;
  scores.ar += heh;
  scores.ar += 2 * count(text, ARABIC_LETTERS) + count(text, ARABIC_MARKS);
  for (const raw of text.match(WORD) ?? []) {
    const word = unifyLetters(raw);
    if (URDU_WORDS.has(word)) scores.ur += 2;
    if (PERSIAN_WORDS.has(word)) scores.fa += 2;
    if (ARABIC_WORDS.has(word)) scores.ar += 2;
    if (FINAL_HEH.test(raw)) scores.fa += 1;
    if (ARABIC_PROCLITIC_ARTICLE.test(raw) && !PERSIAN_BALA.test(word)) scores.ar += 2;
    else if (word.length > 3 && word.startsWith('ال')) scores.ar += 1;
    // Persian verbs: the می / نمی prefix (written with or without the half-space).
    if (word === 'می' || word === 'نمی' || /^ن?می\p{L}{2,}/u.test(word)) scores.fa += 1;
  }
  return scores;
}

/** Languages by score, best first; ties keep the order Arabic, Persian, Urdu (Urdu words that share every letter with Persian are the commoner loss than the reverse). */
export function rankArabicScript(scores: ArabicScriptScores): ArabicScriptLanguage[] {
  return (['ar', 'fa', 'ur'] as const).slice().sort((a, b) => scores[b] - scores[a]);
}

/** Persian, Arabic or Urdu: the best-scoring of the three. */
export function arabicScriptLanguage(text: string): ArabicScriptLanguage {
  return rankArabicScript(arabicScriptScores(text))[0]!;
}
