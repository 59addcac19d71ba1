import { describe, expect, it } from 'vitest';
import { containsPhrase, type MatchSettings, matchOptions, phraseTokens, textTokens } from '../../../functions/text/index.js';

/**
 * Cases from other projects' normaliser and segmenter test suites, typed in (a handful per category):
 * the peer's input is the post, its normalised or segmented form the rule's phrase. Each names the
 * repository and file it comes from. The behaviour tests of the layer are beside the modules' own tests.
 */
interface PeerCase {
  phrase: string;
  post: string;
  source: string;
  match?: MatchSettings;
}

function fires({ phrase, post, match }: PeerCase): boolean {
  const options = matchOptions(match);
  const clitics = options.clitics !== false && !(options.cliticsOff ?? []).includes(phrase);
  return containsPhrase(textTokens(post, options), phraseTokens(phrase, options), clitics);
}

const CATEGORIES: Record<string, PeerCase[]> = {
  'Arabic proclitics و ف ب ل ك, stacked, with ال/لل': [
    { phrase: 'الجد', post: 'عليكم بالجد فإنه أساس النجاح', source: 'linuxscout/tashaphyne tests/samples/NAFIS_gold_standard.xml' },
    { phrase: 'الخاشعة', post: 'وكالخاشعة أبصارهم', source: 'linuxscout/tashaphyne tests/samples/NAFIS_gold_standard.xml' },
    { phrase: 'الهوى', post: 'أما للهوى نهي عليك', source: 'linuxscout/tashaphyne tests/samples/NAFIS_gold_standard.xml' },
    { phrase: 'العزيمة', post: 'أبالصبر والعزيمة أنتم مسلحون', source: 'linuxscout/tashaphyne tests/samples/NAFIS_gold_standard.xml' },
    { phrase: 'تنفست', post: 'فتنفست الصعداء', source: 'CAMeL-Lab/camel_tools docs/source/api/tokenizers/morphological.rst' },
  ],
  'Arabic hamza seats (rule sets hamza: unify)': [
    { phrase: 'قاري', post: 'قارئ', source: 'TRoboto/Maha tests/cleaners/test_normalize.py', match: { hamza: 'unify' } },
    {
      phrase: 'سوال',
      post: 'جاء سؤال الأئمة',
      source: 'linuxscout/pyarabic pyarabic/araby.py (normalize_hamza)',
      match: { hamza: 'unify' },
    },
    {
      phrase: 'الايمة',
      post: 'جاء سؤال الأئمة',
      source: 'linuxscout/pyarabic pyarabic/araby.py (normalize_hamza)',
      match: { hamza: 'unify' },
    },
  ],
  'Hebrew prefix letters and their stacks': [
    { phrase: 'שנת', post: 'בשנת 1948 השלים אפרים קישון', source: 'dicta-il/dictabert-seg README.md (segments ב+שנת)' },
    { phrase: 'תולדות', post: 'לימודיו בפיסול ובתולדות האמנות', source: 'dicta-il/dictabert-seg README.md (segments וב+תולדות)' },
    { phrase: 'אמנות', post: 'ובתולדות האמנות', source: 'dicta-il/dictabert-seg README.md (segments ה+אמנות)' },
  ],
  'Persian suffixes written apart': [
    { phrase: 'گفته‌اند', post: 'که گفته اند تا چند سال', source: 'amirivojdan/shekar tests/unit/preprocessing/test_spacing_normalizer.py' },
    { phrase: 'خانه‌ام', post: 'خانه ام بزرگ است', source: 'amirivojdan/shekar tests/unit/preprocessing/test_word_spacing_normalizer.py' },
    { phrase: 'دوقلوهای', post: 'دوقلو های هم خون', source: 'amirivojdan/shekar tests/unit/preprocessing/test_spacing_normalizer.py' },
  ],
  'Persian preverbs with می/نمی': [
    { phrase: 'برمی‌دارد', post: 'او بر می دارد', source: 'amirivojdan/shekar tests/unit/preprocessing/test_verbal_spacing_normalizer.py' },
    {
      phrase: 'برنمی‌گردد',
      post: 'او بر نمی گردد',
      source: 'amirivojdan/shekar tests/unit/preprocessing/test_verbal_spacing_normalizer.py',
    },
    { phrase: 'می‌زنی', post: 'با کی داری حرف می زنی؟', source: 'amirivojdan/shekar tests/unit/preprocessing/test_spacing_normalizer.py' },
  ],
  'Persian compounds written apart': [
    { phrase: 'خاک‌آلود', post: 'به خانه‌های خاک آلود', source: 'amirivojdan/shekar tests/unit/preprocessing/test_spacing_normalizer.py' },
    { phrase: 'زمین‌لرزه', post: 'زمین لرزه به بزرگی ۶ ریشتر', source: 'roshan-research/hazm tests/test_normalizer.py' },
  ],
  'Persian ezafe': [
    { phrase: 'خانه‌ی', post: 'خانه ی ما', source: 'amirivojdan/shekar tests/unit/preprocessing/test_ya_normalizer.py' },
    { phrase: 'خانۀ ما', post: 'خانه‌ی ما', source: 'amirivojdan/shekar tests/unit/preprocessing/test_ya_normalizer.py' },
    // The ی of the next word stays that word's (no_cross_word_boundary).
    { phrase: 'خانه یک', post: 'خانه یک', source: 'amirivojdan/shekar tests/unit/preprocessing/test_ya_normalizer.py' },
  ],
  'Persian letter variants ڪ ێ ۃ': [
    { phrase: 'کوتاه', post: 'نام داستان ڪوتاه طنز', source: 'amirivojdan/shekar tests/test_normalizer.py' },
    { phrase: 'ادبیات', post: 'ادبێات فارسی', source: 'amirivojdan/shekar tests/test_normalizer.py' },
  ],
  'Persian digits glued to a word': [
    { phrase: 'متر', post: 'به طول ۹متر و عرض۶', source: 'roshan-research/hazm hazm/normalizer.py (correct_spacing doctest)' },
    { phrase: 'کیلومتر', post: 'مسافت ۹کیلومتر', source: 'roshan-research/hazm tests/test_normalizer.py' },
  ],
  'Persian letters repeated for emphasis': [
    { phrase: 'سلام', post: 'سلامممم به همه', source: 'roshan-research/hazm hazm/normalizer.py (decrease_repeated_chars doctest)' },
    { phrase: 'اعلام', post: 'اِعلاممممم کَرد', source: 'roshan-research/hazm tests/test_normalizer.py' },
  ],
  'Persian informal forms': [
    { phrase: 'می‌روم', post: 'می‌رم', source: 'roshan-research/hazm hazm/informal_normalizer.py (normalized_word doctest)' },
    { phrase: 'نمی‌دانم', post: 'نمیدونم چی شد', source: 'roshan-research/hazm hazm/informal_normalizer.py' },
  ],
  'Urdu heh forms': [
    { phrase: 'رھتی', post: 'ﺭﻫﺘﯽ', source: 'urduhack/urduhack urduhack/normalization/tests/test_character.py' },
    { phrase: 'ہمیں بھی', post: 'ﮨﻤﯿﮟ ﺑﻬﯽ', source: 'urduhack/urduhack urduhack/normalization/tests/test_character.py' },
    { phrase: 'جلوہ', post: 'ﺟﻠﻮﮦ', source: 'urduhack/urduhack urduhack/normalization/tests/test_character.py' },
  ],
  'Sorani letter variants ھ/ه ر/ڕ': [
    { phrase: 'هەر', post: 'ھەر', source: 'sinaahmadi/klpt klpt/data/test_cases.json (normalizer.Sorani.Arabic)' },
    { phrase: 'ڕاستە', post: 'زۆر راستە بژیت', source: 'sinaahmadi/klpt klpt/data/test_cases.json (standardizer.Sorani.Arabic)' },
    { phrase: 'پێک', post: 'و ڕێک و پێك دەرناچێت', source: 'sinaahmadi/klpt klpt/data/test_cases.json (normalizer.Sorani.Arabic)' },
  ],
  'Turkish casing of dotted and dotless i': [
    { phrase: 'için', post: 'İÇİN', source: 'LuteOrg/lute-v3 tests/unit/parse/test_TurkishParser.py (test_downcase)' },
    {
      phrase: 'ışık',
      post: 'IŞIK',
      source: 'LuteOrg/lute-v3 tests/unit/parse/test_TurkishParser.py',
      match: { accents: 'match', lang: 'tr' },
    },
  ],
  'Turkish written without Turkish letters': [
    { phrase: 'calisma', post: 'çalışma', source: 'meilisearch/charabia charabia/src/normalizer/turkish.rs' },
    { phrase: 'sarki', post: 'şarkı', source: 'meilisearch/charabia charabia/src/normalizer/turkish.rs' },
  ],
};

const NEGATIVE: PeerCase[] = [
  { phrase: 'بانيا', post: 'البانيا', source: 'meilisearch/charabia charabia/src/segmenter/arabic.rs (ال in البانيا is not the article)' },
  // A prefix table cannot tell the infinitive's ל from the preposition: the phrase opts out of prefixes.
  {
    phrase: 'פרסם',
    post: 'לפרסם',
    source: 'dicta-il/dictabert-seg README.md (keeps לפרסם whole)',
    match: { clitics: { off: ['פרסם'] } },
  },
  { phrase: 'دی', post: 'هادی', source: 'persian-tools/persian-tools test/halfSpace.spec.ts (ها is not split off هادی)' },
];

describe('peer test suites: a phrase matches the ways the peers write it', () => {
  for (const [category, cases] of Object.entries(CATEGORIES)) {
    it(category, () => {
      for (const peer of cases) expect(fires(peer), `${peer.phrase} ← ${peer.post} (${peer.source})`).toBe(true);
    });
  }

  it('does not match inside unrelated longer words', () => {
    for (const peer of NEGATIVE) expect(fires(peer), `${peer.phrase} ← ${peer.post} (${peer.source})`).toBe(false);
  });
});
