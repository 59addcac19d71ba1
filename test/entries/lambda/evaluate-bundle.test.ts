import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFilesBeside, EVALUATE_MODULES_BESIDE, lambdaBundling } from '../../../bench/lambda-bundling.js';
import { LEXICON_LANGUAGES } from '../../../functions/rules/lang/lexicon/languages.js';

const REPO = resolve(import.meta.dirname, '../../..');

/** The evaluate function bundled as the stack bundles it; what is in it is read from esbuild's metafile. */
let metafile: Metafile;
/** Its minified index.mjs, in bytes. */
let bytes: number;
beforeAll(async () => {
  const result = await build({
    ...lambdaBundling(EVALUATE_MODULES_BESIDE),
    entryPoints: [join(REPO, 'functions/entries/lambda/evaluate.ts')],
    outfile: join(REPO, 'node_modules/.cache/evaluate-bundle-test/index.mjs'),
    write: false,
    metafile: true,
  });
  metafile = result.metafile;
  bytes = result.outputFiles.find((file) => file.path.endsWith('index.mjs'))!.contents.byteLength;
}, 60_000);

/** The files that put code in the bundle. */
function bundled(): string[] {
  const output = Object.values(metafile.outputs).find((one) => one.entryPoint !== undefined)!;
  return Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
}

/** Each import of a package left outside the bundle (the AWS SDK), with how it is imported. */
function externalImports(): Array<{ from: string; path: string; kind: string }> {
  return Object.entries(metafile.inputs).flatMap(([from, input]) =>
    input.imports.filter((one) => one.external).map((one) => ({ from, path: one.path, kind: one.kind })),
  );
}

describe('the evaluate bundle', () => {
  it('holds no zod, no YAML parser and no platform connector: rules and events are read as validated at synth and ingest', () => {
    const files = bundled();
    expect(files.some((file) => file.endsWith('functions/entries/lambda/evaluate.ts'))).toBe(true);
    expect(files.some((file) => file.includes('functions/matcher/'))).toBe(true);
    expect(files.filter((file) => /node_modules\/(zod|yaml)\//.test(file))).toEqual([]);
    expect(files.filter((file) => /functions\/platforms\/[^/]+\/(normalise|client|verify)\.ts$/.test(file))).toEqual([]);
  });

  it('holds no X-Ray SDK and no json-rules-engine: the tracer and the explaining engine are shipped beside it', () => {
    const files = bundled();
    expect(
      files.filter((file) => /node_modules\/(aws-xray-sdk-core|cls-hooked|semver|@aws-lambda-powertools\/tracer)\//.test(file)),
    ).toEqual([]);
    expect(files.filter((file) => /node_modules\/(json-rules-engine|jsonpath-plus|eventemitter2|hash-it)\//.test(file))).toEqual([]);
    // Shipped as one module each, so nothing may import a subpath of them (the folder beside holds index.mjs only).
    const subpaths = externalImports().filter((one) =>
      EVALUATE_MODULES_BESIDE.some((name) => one.path !== name && one.path.startsWith(`${name}/`)),
    );
    expect(subpaths).toEqual([]);
  });

  it('ships CLD3, re2js, the tracer and json-rules-engine beside it, imported on first need only', () => {
    const beside = externalImports().filter((one) => (EVALUATE_MODULES_BESIDE as readonly string[]).includes(one.path));
    expect(new Set(beside.map((one) => one.path))).toEqual(new Set(EVALUATE_MODULES_BESIDE));
    expect(beside.filter((one) => one.kind !== 'dynamic-import')).toEqual([]);
    expect([...EVALUATE_MODULES_BESIDE]).toEqual(expect.arrayContaining(['@aws-lambda-powertools/tracer', 'json-rules-engine']));
  });

  it('loads the EventBridge, SQS, SES and Secrets Manager clients on first use: only DynamoDB is imported with the module', () => {
    const sdk = externalImports().filter((one) => one.path.startsWith('@aws-sdk/'));
    const onLoad = [...new Set(sdk.filter((one) => one.kind !== 'dynamic-import').map((one) => one.path))].sort();
    expect(onLoad).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/util-dynamodb']);
    const lazy = new Set(sdk.filter((one) => one.kind === 'dynamic-import').map((one) => one.path));
    expect(lazy.has('@aws-sdk/client-sqs')).toBe(true);
  });

  it("stays under 350,000 bytes, the lexicon's word lists (about 2 MB) left out: they are data beside it", () => {
    // 196 KiB before the lists, 2,453 KB with them inside.
    expect(bytes).toBeLessThan(350_000);
    expect(Object.keys(metafile.inputs).filter((file) => file.includes('lang/lexicon/words/'))).toEqual([]);
  });
});

describe('the language detection of the evaluate bundle, with the word lists copied beside it as the stack copies them', () => {
  // Inside node_modules, so the modules shipped beside the bundle (cld3-asm) resolve as they do on Lambda.
  const dir = join(REPO, 'node_modules/.cache/evaluate-bundle-test/detect');
  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await build({
      ...lambdaBundling(EVALUATE_MODULES_BESIDE),
      stdin: {
        contents: "export { lexiconScores } from './functions/rules/lang/lexicon.ts';",
        resolveDir: REPO,
        loader: 'ts',
      },
      outfile: join(dir, 'index.mjs'),
    });
    writeFileSync(
      join(dir, 'child.mjs'),
      "const { lexiconScores } = await import('./index.mjs'); console.log(lexiconScores('thanks for the help', 'latin')[0].lang, lexiconScores('asante sana kwa msaada', 'latin')[0].lang);",
    );
  }, 60_000);
  const child = () => promisify(execFile)(process.execPath, ['child.mjs'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });

  it('reads the lists from words/ beside index.mjs and scores with them', async () => {
    copyFilesBeside(dir);
    for (const lang of LEXICON_LANGUAGES) expect(existsSync(join(dir, 'words', `${lang}.json`)), lang).toBe(true);
    expect((await child()).stdout.trim()).toBe('en sw');
  });

  it('fails naming the missing list when they are not beside it', async () => {
    rmSync(join(dir, 'words'), { recursive: true, force: true });
    await expect(child()).rejects.toThrow(`the language lexicon's word list ${join(dir, 'words', 'af.json')} cannot be read (ENOENT)`);
  });
});
