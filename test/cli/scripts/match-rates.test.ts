import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const TSX = resolve('node_modules', '.bin', 'tsx');

describe('npm run text:match-rates', () => {
  it("prints the rates of the file's cases, per language and per category", () => {
    // Act: the script itself, on a fixture whose rates are known (test/text/match-rates.test.ts).
    const run = spawnSync(TSX, ['cli/scripts/match-rates.ts', 'test/text/fixtures/match-rates-tiny.json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^5 cases from .*match-rates-tiny\.json/);
    expect(lines).toContain('| fa | all | 1 | 0.0% | 100.0% |');
    expect(lines).toContain('| ar | prefix | 2 | 50.0% | 50.0% |');
    expect(lines).toContain('| **all** | | 5 | 60.0% | 80.0% |');
  });

  it('says which file it cannot read', () => {
    const run = spawnSync(TSX, ['cli/scripts/match-rates.ts', 'test/text/fixtures/no-such-file.json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('text:match-rates: cannot read');
    expect(run.stderr).toContain('no-such-file.json');
  });
});
