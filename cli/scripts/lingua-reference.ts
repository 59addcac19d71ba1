// Lingua itself, run on the same items as Foghorn, for `npm run lang:accuracy -- --lingua`: Lingua's published figures
// are over 1,000 items per language and length, the shared peer sample holds 300 of them, and the corpus none, so the
// fair comparison is Lingua run on the very items. The npm package below (lingua-rs compiled to WebAssembly, the one
// `npm run lang:ngrams` reads its models from) is fetched with `npm pack` into a temporary folder: it is not a
// dependency (71 MB unpacked).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccuracyByLength, LengthCategory } from '../../functions/rules/lang/accuracy.js';
import { cellPercent, measureByLength } from '../../functions/rules/lang/accuracy.js';
import { unpackNpmPackage } from './npm-pack.js';

export const LINGUA_PACKAGE = '@bluzzi/lingua@1.5.0';

/** Lingua's language names, as `detectLanguageOf` gives them, for the codes the accuracy tables use. */
const CODES: Readonly<Record<string, string>> = {
  Persian: 'fa',
  Arabic: 'ar',
  Hebrew: 'he',
  Urdu: 'ur',
  Swahili: 'sw',
  Turkish: 'tr',
  Russian: 'ru',
  English: 'en',
  Kazakh: 'kk',
  Azerbaijani: 'az',
};

interface LinguaDetector {
  detectLanguageOf(text: string): string | undefined;
}

/** A detector of Lingua's, from all its 75 languages, in high-accuracy mode (its default), and how to free it. */
function loadLingua(): { detect: (text: string) => Promise<string | undefined>; close: () => void } {
  const work = mkdtempSync(join(tmpdir(), 'lingua-reference-'));
  try {
    const root = unpackNpmPackage(LINGUA_PACKAGE, work);
    const lingua = createRequire(import.meta.url)(join(root, 'src', 'lingua.js')) as {
      LanguageDetectorBuilder: { fromAllLanguages(): { build(): LinguaDetector } };
    };
    const detector = lingua.LanguageDetectorBuilder.fromAllLanguages().build();
    return {
      detect: async (text) => {
        const name = detector.detectLanguageOf(text);
        return name === undefined ? undefined : (CODES[name] ?? name);
      },
      close: () => rmSync(work, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`could not load ${LINGUA_PACKAGE} for --lingua: ${(error as Error).message}`);
  }
}

/** Lingua's percent correct per language and length on `dirs` (each cut like Lingua's test data), in that order. */
export async function linguaByLength(dirs: readonly string[]): Promise<Array<Record<string, Partial<Record<LengthCategory, number>>>>> {
  const lingua = loadLingua();
  try {
    const tables: AccuracyByLength[] = [];
    for (const dir of dirs) tables.push(await measureByLength(dir, lingua.detect));
    return tables.map((table) =>
      Object.fromEntries(
        Object.entries(table).map(([lang, cells]) => [
          lang,
          Object.fromEntries(Object.entries(cells).map(([category, cell]) => [category, cellPercent(cell)])),
        ]),
      ),
    );
  } finally {
    lingua.close();
  }
}
