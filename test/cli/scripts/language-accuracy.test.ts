import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const TSX = resolve('node_modules', '.bin', 'tsx');

function run(args: string[]) {
  return spawnSync(TSX, ['cli/scripts/language-accuracy.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('npm run lang:accuracy', () => {
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
