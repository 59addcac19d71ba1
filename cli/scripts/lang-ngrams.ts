// npm run lang:ngrams: regenerates functions/rules/lang/ngrams/ (languages.ts and ngram-models/<lang>.bin.br), Lingua's
// character n-gram models for the languages detection scores short undecided text with. Lingua (lingua-rs, Apache-2.0,
// trained on the Leipzig corpora) keeps per language five brotli-compressed JSON files, unigrams.json.br …
// fivegrams.json.br, of n-gram → relative frequency (an n-gram's count over its (n−1)-letter prefix's); the npm package
// below compiles them into its WebAssembly as include_dir entries: a file record is (path pointer, path length,
// contents pointer, contents length) in the data section. This script fetches the package at that exact version with
// `npm pack` into a temporary folder (it is not a dependency), finds the records by the file names, decompresses
// each model, keeps the n-grams counted at least MIN_COUNT times and writes each probability as −ln p in steps of
// 1/QUANTUM, in the binary form scoring reads without JSON (functions/rules/lang/ngrams/format.ts). Nothing here
// reads the test corpus or the peer sample. Licence and NOTICE: functions/rules/lang/ngrams/README.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { encodeNgramModel, NGRAM_MAX_LEVEL, NGRAM_ORDERS, NGRAM_QUANTUM } from '../../functions/rules/lang/ngrams/format.js';
import { ngramModelFile } from '../../functions/rules/lang/ngrams/index.js';
import { dominantScript } from '../../functions/rules/lang/script.js';
import { unpackNpmPackage } from './npm-pack.js';

const PACKAGE = '@bluzzi/lingua@1.5.0';
const WASM = 'src/lingua_bg.wasm';
const OUT = 'functions/rules/lang/ngrams/ngram-models';
const ARABIC_SCRIPT = new Set(['ar', 'fa', 'ur']);
const FILES = ['unigrams', 'bigrams', 'trigrams', 'quadrigrams', 'fivegrams'].map((name) => `${name}.json.br`);

/**
 * The fewest times an n-gram of each order (unigrams … fivegrams) must have been counted in Lingua's training text
 * to be kept (Infinity: that order is left out). Rare four- and five-letter n-grams are most of the models' size and
 * say little about short Latin and Cyrillic text, whose 35 models would double in size with them. The Arabic script's
 * three keep Lingua's models whole: where the letters tie, Persian and Urdu share most words, and the rare long n-grams
 * are what tell them apart. Measured on the corpus (docs/language-detection.md): against 4 and 8, Persian word pairs
 * 93.0 → 95.0 and single words 86.5 → 88.5, Urdu word pairs 91.5 → 93.0, Arabic unchanged.
 */
const MIN_COUNT: Readonly<Record<'arabic' | 'other', readonly number[]>> = {
  arabic: [1, 1, 1, 1, 1],
  other: [1, 1, 1, 10, Number.POSITIVE_INFINITY],
};

/** Lingua's languages Foghorn scores, by Foghorn's code: the Arabic script's three and those the lexicon has a list for. */
const LANGUAGES: Record<string, string> = {
  AFRIKAANS: 'af',
  ALBANIAN: 'sq',
  ARABIC: 'ar',
  AZERBAIJANI: 'az',
  BOKMAL: 'no',
  BULGARIAN: 'bg',
  CATALAN: 'ca',
  CZECH: 'cs',
  DANISH: 'da',
  DUTCH: 'nl',
  ENGLISH: 'en',
  ESPERANTO: 'eo',
  ESTONIAN: 'et',
  FINNISH: 'fi',
  FRENCH: 'fr',
  GANDA: 'lg',
  GERMAN: 'de',
  HUNGARIAN: 'hu',
  INDONESIAN: 'id',
  ITALIAN: 'it',
  KAZAKH: 'kk',
  LATVIAN: 'lv',
  LITHUANIAN: 'lt',
  MACEDONIAN: 'mk',
  MALAY: 'ms',
  PERSIAN: 'fa',
  POLISH: 'pl',
  PORTUGUESE: 'pt',
  ROMANIAN: 'ro',
  RUSSIAN: 'ru',
  SERBIAN: 'sr',
  SLOVAK: 'sk',
  SLOVENE: 'sl',
  SOMALI: 'so',
  SPANISH: 'es',
  SWAHILI: 'sw',
  SWEDISH: 'sv',
  TAGALOG: 'tl',
  TURKISH: 'tr',
  UKRAINIAN: 'uk',
  URDU: 'ur',
  VIETNAMESE: 'vi',
  YORUBA: 'yo',
  ZULU: 'zu',
};

const NOTICE = `These files are derived from the language models of Lingua (lingua-rs), Copyright © 2020-today Peter M. Stahl
<pemistahl@gmail.com>, licensed under the Apache License, Version 2.0 (LICENSE beside this file), as the npm package
${PACKAGE} compiles them (https://github.com/pemistahl/lingua-rs; the models are trained on the Leipzig Corpora Collection).
Changed by Foghorn's cli/scripts/lang-ngrams.ts: only some languages are kept, the Latin and Cyrillic ones without
their rare four- and five-letter n-grams, each probability is rounded to a step of 1/${NGRAM_QUANTUM} of its natural logarithm (at most ${NGRAM_MAX_LEVEL} steps), and
the n-grams and their levels are written in Foghorn's own binary layout (functions/rules/lang/ngrams/format.ts in Foghorn).
`;

function leb128(bytes: Buffer, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let next = at;
  for (;;) {
    const byte = bytes[next++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return { value, next };
  }
}

/** The module's linear memory as its active data segments initialise it. */
function initialMemory(wasm: Buffer): Buffer {
  const segments: Array<{ offset: number; bytes: Buffer }> = [];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at]!;
    const size = leb128(wasm, at + 1);
    if (id === 11) {
      let cursor = leb128(wasm, size.next);
      for (let index = 0; index < cursor.value; index++) {
        const flag = leb128(wasm, cursor.next);
        // Only active segments of memory 0 at a constant offset (i32.const … end), what wasm-bindgen emits.
        if (flag.value !== 0 || wasm[flag.next] !== 0x41)
          throw new Error(`lang:ngrams: data segment ${index} is not a constant-offset one`);
        const offset = leb128(wasm, flag.next + 1);
        if (wasm[offset.next] !== 0x0b) throw new Error(`lang:ngrams: data segment ${index} has an unexpected offset expression`);
        const length = leb128(wasm, offset.next + 1);
        segments.push({ offset: offset.value, bytes: wasm.subarray(length.next, length.next + length.value) });
        cursor = { value: cursor.value, next: length.next + length.value };
      }
    }
    at = size.next + size.value;
  }
  const end = Math.max(...segments.map(({ offset, bytes }) => offset + bytes.length));
  const memory = Buffer.alloc(end);
  for (const { offset, bytes } of segments) bytes.copy(memory, offset);
  return memory;
}

/** Every embedded model file: the records whose path is one of FILES, decompressed. */
function embeddedModels(memory: Buffer): Array<{ order: number; json: string }> {
  const models: Array<{ order: number; json: string }> = [];
  FILES.forEach((name, order) => {
    const path = memory.indexOf(name);
    if (path < 0) throw new Error(`lang:ngrams: ${name} is not in ${WASM}`);
    const record = Buffer.alloc(8);
    record.writeUInt32LE(path, 0);
    record.writeUInt32LE(name.length, 4);
    for (let at = memory.indexOf(record); at >= 0; at = memory.indexOf(record, at + 4)) {
      const contents = memory.readUInt32LE(at + 8);
      const length = memory.readUInt32LE(at + 12);
      models.push({ order, json: brotliDecompressSync(memory.subarray(contents, contents + length)).toString('utf8') });
    }
  });
  return models;
}

/** One order of one language: each n-gram counted at least `minCount` times with its level, −ln p in steps of 1/QUANTUM. */
function quantised(ngrams: Record<string, string>, minCount: number): Array<[string, number]> {
  const levels: Array<[string, number]> = [];
  for (const [fraction, list] of Object.entries(ngrams)) {
    const [count, total] = fraction.split('/').map(Number) as [number, number];
    if (count < minCount) continue;
    // Rarer than e^(−255/16) is as rare as a byte can say.
    const level = Math.min(NGRAM_MAX_LEVEL, Math.max(1, Math.round(-Math.log(count / total) * NGRAM_QUANTUM)));
    for (const ngram of list.split(' ')) levels.push([ngram, level]);
  }
  return levels;
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'lang-ngrams-'));
  try {
    const pkg = unpackNpmPackage(PACKAGE, work);
    const memory = initialMemory(readFileSync(join(pkg, WASM)));
    const byLanguage = new Map<string, Array<Array<[string, number]>>>();
    for (const { order, json } of embeddedModels(memory)) {
      const lang = LANGUAGES[/^\{"language":"([A-Z_]+)"/.exec(json)?.[1] ?? ''];
      if (lang === undefined) continue;
      const model = JSON.parse(json) as { language: string; ngrams: Record<string, string> };
      const orders = byLanguage.get(lang) ?? [];
      orders[order] = quantised(model.ngrams, MIN_COUNT[ARABIC_SCRIPT.has(lang) ? 'arabic' : 'other'][order]!);
      byLanguage.set(lang, orders);
    }
    const missing = Object.values(LANGUAGES).filter((lang) => byLanguage.get(lang)?.filter(Boolean).length !== NGRAM_ORDERS);
    if (missing.length > 0) throw new Error(`lang:ngrams: no complete model for ${missing.join(', ')}`);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const codes = [...byLanguage.keys()].sort();
    const scripts = Object.fromEntries(
      codes.map((lang) => [
        lang,
        dominantScript(
          byLanguage
            .get(lang)![0]!
            .map(([ngram]) => ngram)
            .join(' '),
        ),
      ]),
    );
    for (const lang of codes) {
      const bytes = encodeNgramModel(lang, byLanguage.get(lang)!);
      const compressed = brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
      });
      writeFileSync(join(OUT, ngramModelFile(lang)), compressed);
    }
    // Apache-2.0 §4: the licence and the notice of what was changed travel with the models.
    writeFileSync(join(OUT, 'LICENSE'), readFileSync(join(pkg, 'LICENSE')));
    writeFileSync(join(OUT, 'NOTICE'), NOTICE);
    const languagesModule = [
      '// Generated by `npm run lang:ngrams` (cli/scripts/lang-ngrams.ts): do not edit. Source and licence: README.md.',
      `// Package: ${PACKAGE}; n-grams counted at least ${MIN_COUNT.arabic.join(', ')} times (unigrams … fivegrams; Arabic script), ${MIN_COUNT.other.join(', ')} (others).`,
      '',
      '/** The languages of ngram-models/<lang>.bin.br, one file each, with the script their letters are in. */',
      `export const NGRAM_LANGUAGES: Readonly<Record<string, string>> = ${JSON.stringify(scripts)};`,
      '',
    ].join('\n');
    writeFileSync(join(OUT, '..', 'languages.ts'), languagesModule);
    execFileSync('npx', ['biome', 'check', '--write', join(OUT, '..', 'languages.ts')], { stdio: 'inherit' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
