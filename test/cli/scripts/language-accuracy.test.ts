import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const TSX = resolve('node_modules', '.bin', 'tsx');

function run(args: string[]) {
  return spawnSync(TSX, ['cli/scripts/language-accuracy.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('npm run lang:accuracy', () => {
  it("prints the corpus per language and length beside Lingua's published figures, with no peer data needed", () => {
    const result = run([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('| language | sentences: Foghorn | Lingua (published) | word pairs: Foghorn | Lingua (published) |');
    // Persian, with Lingua's published 99.5 / 93.7 / 77.6 beside Foghorn's own figures.
    expect(result.stdout).toMatch(/^\| fa \| [\d.]+ \| 99\.5 \| [\d.]+ \| 93\.7 \| [\d.]+ \| 77\.6 \|$/m);
    expect(result.stdout).toMatch(/^\| \*\*mean of fa, ar, he, ur, sw, tr, ru, en\*\* \|/m);
  }, 120_000);

  it('refuses --expected without language codes, saying what it needs', () => {
    const result = run(['--expected', 'fa,Persian']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--expected needs language codes separated by commas');
  });

  it('refuses --lingua on a folder not cut by length, before fetching anything', () => {
    const result = run(['test/rules/fixtures/lang', '--lingua']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--lingua needs a folder cut like Lingua's test data");
    expect(result.stderr).toContain('test/rules/fixtures/lang');
    expect(result.stdout).toBe('');
  });
});
