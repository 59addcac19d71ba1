import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  FASTTEXT_BESIDE,
  fastTextFiles,
  fastTextFilesBeside,
  fastTextPackageFiles,
  loadFastText,
  readPredictions,
} from '../../../functions/rules/lang/fasttext.js';

const first = (probabilities: ReadonlyMap<string, number>) => [...probabilities.keys()][0];

describe('fastText language model', () => {
  it('loads the model fasttext.wasm.js ships and names the language of short posts', async () => {
    const model = await loadFastText();
    const english = model.languages("I'm staying");
    expect(first(english)).toBe('en');
    expect(english.get('en')).toBeGreaterThan(0.5);
    expect(first(model.languages('через пару'))).toBe('ru');
    // fastText reads one line: a newline does not cut the text short.
    expect(first(model.languages('toplam\nsatılmasının'))).toBe('tr');
  });

  it('reads the package files from the sources, and names what a bundle copies beside its code', () => {
    expect(fastTextFiles()).toEqual(fastTextPackageFiles());
    expect(fastTextFilesBeside().map((file) => file.to)).toEqual([
      join(FASTTEXT_BESIDE, 'lid.176.ftz'),
      join(FASTTEXT_BESIDE, 'fastText.node.wasm'),
    ]);
  });

  it('loads from the one-file module a bundle ships beside it, with the two files copied beside', async () => {
    // As infra/constructs/foghorn-function.ts ships a module beside the bundle: the package as one index.mjs.
    const dir = mkdtempSync(join(tmpdir(), 'foghorn-fasttext-'));
    const moduleDir = join(dir, 'node_modules', 'fasttext.wasm.js');
    mkdirSync(moduleDir, { recursive: true });
    await build({
      stdin: {
        contents: "export { getFastTextClass, getFastTextModule } from 'fasttext.wasm.js';",
        resolveDir: process.cwd(),
        loader: 'js',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(moduleDir, 'index.mjs'),
      logLevel: 'error',
    });
    writeFileSync(join(moduleDir, 'package.json'), JSON.stringify({ name: 'fasttext.wasm.js', type: 'module', exports: './index.mjs' }));
    mkdirSync(join(dir, FASTTEXT_BESIDE));
    for (const { from, to } of fastTextFilesBeside()) copyFileSync(from, join(dir, to));
    try {
      const model = await loadFastText({
        importPackage: () => import(pathToFileURL(join(moduleDir, 'index.mjs')).href),
        files: { model: join(dir, FASTTEXT_BESIDE, 'lid.176.ftz'), wasm: join(dir, FASTTEXT_BESIDE, 'fastText.node.wasm') },
      });
      expect(first(model.languages('where is my order'))).toBe('en');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("maps fastText's labels to Foghorn's codes and frees each answer", () => {
    let deleted = 0;
    const answers: Array<[number, string]> = [
      [0.5, '__label__arz'],
      [0.3, '__label__ar'],
      [0.1, '__label__fa'],
    ];
    let asked = '';
    const native = {
      predict: (text: string) => {
        asked = text;
        return { size: () => answers.length, get: (index: number) => answers[index]!, delete: () => deleted++ };
      },
    };
    const probabilities = readPredictions(native, 'شكرا\nلك');
    expect(asked).toBe('شكرا لك');
    expect(probabilities.get('ar')).toBeCloseTo(0.8);
    expect(probabilities.get('fa')).toBeCloseTo(0.1);
    expect(probabilities.has('arz')).toBe(false);
    expect(deleted).toBe(1);
  });

  it('a missing model file or package fails with what could not load', async () => {
    const files = fastTextPackageFiles();
    await expect(loadFastText({ files: { ...files, wasm: '/nowhere/fastText.node.wasm' } })).rejects.toThrow(
      /could not load: \/nowhere\/fastText\.node\.wasm is missing$/,
    );
    const missing = () => import('fasttext-model-that-is-not-installed' as string) as never;
    await expect(loadFastText({ importPackage: missing })).rejects.toThrow(
      /the fastText model \(fasttext\.wasm\.js with lid\.176\.ftz, at .*lid\.176\.ftz\) could not load: .*fasttext-model-that-is-not-installed/,
    );
  });
});
