import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandInput } from '../../cli/io.js';
import { type ParsedCommand, runProgram } from '../../cli/program.js';

/** What cli/program.js hands the command for `foghorn ARGV`. */
async function parsed(argv: string[]): Promise<{ name: string; parsed: ParsedCommand } | { code: number; err: string }> {
  let got: { name: string; parsed: ParsedCommand } | undefined;
  let err = '';
  const code = await runProgram(argv, {
    out: () => {},
    err: (text) => {
      err += text;
    },
    run: async (name, given) => {
      got = { name, parsed: given };
      return 0;
    },
  });
  return got ?? { code, err };
}

describe('one declaration of every option (cli/program.js)', () => {
  it('hands the command what commander parsed: the subcommand and arguments, the values, defaults included', async () => {
    expect(await parsed(['rules', 'validate', 'rules', '--json'])).toEqual({
      name: 'rules',
      parsed: { positionals: ['validate', 'rules'], values: { json: true, format: 'text' }, declared: ['config', 'json', 'format'] },
    });
    expect(await parsed(['evaluate', '--events=-', '--now', '2026-01-05T10:00:00Z', '--explain'])).toMatchObject({
      name: 'evaluate',
      parsed: { positionals: [], values: { events: '-', now: '2026-01-05T10:00:00Z', explain: true } },
    });
    expect(await parsed(['events', 'export', '--since', '7d'])).toMatchObject({
      name: 'events',
      parsed: { positionals: ['export'], values: { since: '7d' } },
    });
  });

  it('refuses what a command does not declare before the command runs (exit 2)', async () => {
    expect(await parsed(['evaluate', '--events', 'x', '--bogus'])).toEqual({
      code: 2,
      err: expect.stringContaining("unknown option '--bogus'"),
    });
    expect(await parsed(['rules', 'test', '--format', 'github'])).toEqual({
      code: 2,
      err: expect.stringContaining("unknown option '--format'"),
    });
    expect(await parsed(['backtest', '--events', '-'])).toEqual({
      code: 2,
      err: expect.stringContaining("required option '--rules <dir>' not specified"),
    });
  });

  it('a command reading an option it does not declare, or as the other kind, fails loudly', () => {
    const input = commandInput({ positionals: [], values: { json: true, url: 'http://x' }, declared: ['json', 'url', 'who'] });
    expect(input.flag('json')).toBe(true);
    expect(input.string('url')).toBe('http://x');
    expect(input.string('who')).toBeUndefined();
    expect(() => input.string('why')).toThrow('cli/program.js declares no option --why for this command');
    expect(() => input.string('json')).toThrow('option --json is declared as a flag in cli/program.js, read as a value');
    expect(() => input.flag('url')).toThrow('option --url is declared as a value in cli/program.js, read as a flag');
  });

  it('no command parses its arguments again', () => {
    const dir = join(import.meta.dirname, '../../cli/commands');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts')))
      expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/\bparseArgs\b/);
  });
});
